/**
 * Who may do what with sessions: the id tag a start uses, and the rule that a driver sees
 * only their own sessions (another driver's session answers 404, as if it did not exist,
 * so ids cannot be probed).
 */
import type { Pool } from '../db/pool';
import type { Principal } from './auth/principal';
import { ApiError, notFound } from './http/api-error';
import { idTagOwner, usableIdTag } from './stores/driver-store';
import { findSessionOwner } from './stores/session-store';

export interface StartIdentity {
  driverId: string | null;
  idTag: string;
}

/** `now` (the app's clock) decides whether an id tag has expired; `field` is where the request names the id tag. */
export async function startIdentity(pool: Pool, caller: Principal, requestedIdTag: string | undefined, now: Date, field = 'body.idTag'): Promise<StartIdentity> {
  if (caller.role === 'driver') {
    const idTag = await usableIdTag(pool, caller.driverId, requestedIdTag, now);
    if (!idTag) {
      throw new ApiError(
        422,
        'no_usable_id_tag',
        requestedIdTag ? `id tag ${requestedIdTag} is not one of your usable id tags` : 'you have no usable id tag; ask an operator to add one',
      );
    }
    return { driverId: caller.driverId, idTag };
  }
  if (!requestedIdTag) {
    throw new ApiError(400, 'invalid_request', `${field}: an operator must name the id tag to start with`, [{ field, problem: 'required for operators' }]);
  }
  const owner = await idTagOwner(pool, requestedIdTag, now);
  if (!owner) throw new ApiError(422, 'unknown_id_tag', `id tag ${requestedIdTag} is not known`);
  if (owner.status !== 'Accepted') throw new ApiError(422, 'id_tag_not_usable', `id tag ${requestedIdTag} is ${owner.status}`);
  return { driverId: owner.driverId, idTag: requestedIdTag };
}

/** Throws 404 unless the session exists and the caller may see it. */
export async function assertSessionVisible(pool: Pool, caller: Principal, sessionId: string): Promise<void> {
  const owner = await findSessionOwner(pool, sessionId);
  if (!owner || (caller.role === 'driver' && owner.driverId !== caller.driverId)) throw notFound(`session ${sessionId}`);
}
