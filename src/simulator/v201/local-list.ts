/**
 * The Local Authorization List of OCPP 2.0.1 (D01 SendLocalList, D02 GetLocalListVersion): id
 * tokens and their IdTokenInfo as the CSMS sent them, with a version number. Full replaces the
 * list; Differential adds or updates entries that carry idTokenInfo and removes those without
 * (D01.FR.16/17) and needs a newer version (D01.FR.19: otherwise VersionMismatch).
 */
export interface IdToken {
  idToken: string;
  type: string;
}

export interface IdTokenInfo {
  status: string;
  cacheExpiryDateTime?: string;
  groupIdToken?: IdToken;
  [key: string]: unknown;
}

/** Id tokens match by value (case-insensitive, like the CSMS) and type. */
export function tokenKey(token: IdToken): string {
  return `${token.type}:${token.idToken.toLowerCase()}`;
}

export class LocalAuthorizationList {
  version = 0;
  private readonly entries = new Map<string, IdTokenInfo>();

  get size(): number {
    return this.entries.size;
  }

  lookup(token: IdToken): IdTokenInfo | undefined {
    return this.entries.get(tokenKey(token));
  }

  /** Applies a SendLocalList; `capacity` is LocalAuthListCtrlr.Entries' maxLimit. */
  update(request: { versionNumber: number; updateType: 'Full' | 'Differential'; localAuthorizationList?: { idToken: IdToken; idTokenInfo?: IdTokenInfo }[] }, capacity: number): 'Accepted' | 'Failed' | 'VersionMismatch' {
    const list = request.localAuthorizationList ?? [];
    if (!(request.versionNumber > 0)) return 'Failed';
    if (request.updateType === 'Differential' && request.versionNumber <= this.version) return 'VersionMismatch';
    const next = request.updateType === 'Full' ? new Map<string, IdTokenInfo>() : new Map(this.entries);
    for (const entry of list) {
      if (entry.idTokenInfo) next.set(tokenKey(entry.idToken), entry.idTokenInfo);
      else next.delete(tokenKey(entry.idToken));
    }
    if (next.size > capacity) return 'Failed';
    this.entries.clear();
    for (const [k, v] of next) this.entries.set(k, v);
    this.version = request.versionNumber;
    return 'Accepted';
  }
}
