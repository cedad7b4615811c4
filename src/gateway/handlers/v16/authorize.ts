import type { AuthorizeRequest, AuthorizeResponse } from '../../../ocpp/ocpp16-messages';
import { authorization } from '../../rules/id-tag-authorization';
import type { Handler } from '../handler';

/** Never ConcurrentTx: a station also sends Authorize to check the card that stops a transaction (src/gateway/rules/id-tag-authorization.ts). */
export const authorize: Handler<AuthorizeRequest, AuthorizeResponse> = async (ctx, request) => {
  const { info } = authorization(await ctx.storage.idTags.find(request.idTag, ctx.stationId));
  return { idTagInfo: info };
};
