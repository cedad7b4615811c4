/**
 * Who owns which charging profile on a charger. A charger keeps one profile per id and replaces a
 * profile of the same purpose and stack level (OCPP 1.6 §3.13.2, §5.16), so each sender of
 * profiles has its own fixed ids and stack levels and never overwrites another's. Within one
 * purpose the highest stack level wins (§3.13.3): a site's allocation (level 2) overrides the
 * driver's own limit (level 1), which is why the site includes the driver's limit in it. Pure:
 * read by workflow code.
 */
export const chargingProfileOwners = {
  /** The operator's maximum for the whole station (ChargePointMaxProfile, connector 0). */
  stationMaximum: { id: 1, stackLevel: 0 },
  /** The operator's default per-transaction profile (TxDefaultProfile, connector 0). */
  stationTxDefault: { id: 2, stackLevel: 0 },
  /** The driver's `limits.maxPowerKw` (TxProfile on the session's connector): id 100 + connector. */
  driverLimit: { idBase: 100, stackLevel: 1 },
  /** The site load manager's allocation (TxProfile): id 200 + connector. */
  siteAllocation: { idBase: 200, stackLevel: 2 },
} as const;

export const driverLimitProfileId = (connectorId: number): number => chargingProfileOwners.driverLimit.idBase + connectorId;
export const siteAllocationProfileId = (connectorId: number): number => chargingProfileOwners.siteAllocation.idBase + connectorId;
