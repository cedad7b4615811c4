/**
 * What the central system answers about an id tag (OCPP 1.6 §7.2 AuthorizationStatus), for
 * Authorize, StartTransaction and StopTransaction alike. idTag is CiString20: matched
 * case-insensitively (the storage does it; migration 0003).
 *
 * Unknown, or not admitted at a station restricted to access groups → Invalid; Blocked → Blocked; Expired, or its expiry date passed → Expired; Invalid →
 * Invalid. For a StartTransaction only, an Accepted tag already in another active session that
 * has a transaction → ConcurrentTx: the spec calls ConcurrentTx "only relevant for a
 * StartTransaction.req", and Authorize, which a station also sends to check the card that stops
 * a transaction, must never get it.
 */
import type { IdTagStatus } from '../../ocpp/charger-commands';
import type { IdTagInfo } from '../../ocpp/ocpp16-messages';

export type { IdTagInfo };

/** An id tag as the operator registered it. */
export interface RegisteredIdTag {
  status: Exclude<IdTagStatus, 'ConcurrentTx'>;
  /** ISO 8601. */
  expiryDate?: string;
  parentIdTag?: string;
  /** Its expiry date has passed (by the database's clock). */
  expired: boolean;
  driverId: string | null;
  /**
   * False when the station is restricted to station access groups (migration 0010) and the tag's
   * driver is in none of them: the tag does not charge there (Invalid), as on its local list.
   */
  admittedHere?: boolean;
}

export interface Authorization {
  info: IdTagInfo;
  driverId: string | null;
}

/** The answer for a tag (null: not registered), before any StartTransaction-only rule. */
export function authorization(tag: RegisteredIdTag | null): Authorization {
  if (!tag) return { info: { status: 'Invalid' }, driverId: null };
  if (tag.admittedHere === false) return { info: { status: 'Invalid' }, driverId: tag.driverId };
  const info: IdTagInfo = { status: tag.status === 'Accepted' && tag.expired ? 'Expired' : tag.status };
  if (tag.expiryDate) info.expiryDate = tag.expiryDate;
  if (tag.parentIdTag) info.parentIdTag = tag.parentIdTag;
  return { info, driverId: tag.driverId };
}

/**
 * The answer for a StartTransaction: `inAnotherTransaction` is asked only for an Accepted tag
 * (whether it is in another active session that has a transaction).
 */
export async function authorizationForStart(tag: RegisteredIdTag | null, inAnotherTransaction: () => Promise<boolean>): Promise<Authorization> {
  const answer = authorization(tag);
  if (answer.info.status === 'Accepted' && (await inAnotherTransaction())) answer.info.status = 'ConcurrentTx';
  return answer;
}
