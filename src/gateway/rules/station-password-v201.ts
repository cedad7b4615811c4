/**
 * OCPP 2.0.1's rule for the HTTP Basic password of security profiles 1 and 2 (A00.FR.205:
 * BasicAuthPassword is a passwordString of 16 to 40 characters; passwordString is printable
 * ASCII). A 2.0.1 station presenting another password is refused like a wrong one: it cannot
 * be a password this CSMS gave it. The API sets every station's password within the same
 * rule (src/api/routes/operator-chargers.ts), so no registered station is locked out by it;
 * 1.6 stations are not checked at the handshake (their rule is the API's, as before).
 */
const passwordString = /^[\x20-\x7e]{16,40}$/;

export function meetsOcpp201PasswordRule(password: string): boolean {
  return passwordString.test(password);
}
