/**
 * The tariff a session is billed by, snapshotted into the workflow when the session starts:
 * a later change to the tariff never changes the price of a running or finished session.
 * Decimals are strings (exact); absent components cost nothing.
 */
export interface TariffSnapshot {
  tariffId: string;
  version: number;
  name: string;
  /** ISO 4217 code; its minor unit decides rounding. */
  currency: string;
  /** Price per kWh of energy delivered. */
  energyPricePerKwh: string;
}
