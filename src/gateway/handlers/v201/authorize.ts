import type { AuthorizeRequest, AuthorizeResponse } from '../../../ocpp/ocpp201-messages';
import { idTokenAuthorization } from '../../rules/id-token-authorization';
import type { Handler } from '../handler';

/**
 * C01: the id tag rules in 2.0.1's words (src/gateway/rules/id-token-authorization.ts); never
 * ConcurrentTx, as for 1.6 (a station also authorizes the card that stops a transaction). ISO
 * 15118 certificates are not checked: no certificateStatus is answered.
 */
export const authorize: Handler<AuthorizeRequest, AuthorizeResponse> = async (ctx, request) => {
  const { info } = idTokenAuthorization(await ctx.storage.idTags.find(request.idToken.idToken, ctx.stationId));
  return { idTokenInfo: info };
};
