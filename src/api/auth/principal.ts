/** Who is calling: an operator (sees everything) or a driver (sees only their own sessions). */
export type Principal = { role: 'operator' } | { role: 'driver'; driverId: string };

/** What a route allows: nobody needs a token (public), any valid token, or only operators. */
export type Access = 'public' | 'authenticated' | 'operator';

/** The driver whose data a principal may see: a driver id, or null for "everyone" (operator). */
export function ownerScope(principal: Principal): string | null {
  return principal.role === 'driver' ? principal.driverId : null;
}
