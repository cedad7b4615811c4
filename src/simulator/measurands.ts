/** The measurands a simulated charger can sample (whatever its OCPP version), with their unit and location. */
export const SAMPLED_MEASURANDS: Readonly<Record<string, { unit: string; location: string }>> = {
  'Energy.Active.Import.Register': { unit: 'Wh', location: 'Outlet' },
  'Power.Active.Import': { unit: 'W', location: 'Outlet' },
  'Current.Import': { unit: 'A', location: 'Outlet' },
  'Current.Offered': { unit: 'A', location: 'Outlet' },
  Voltage: { unit: 'V', location: 'Outlet' },
  SoC: { unit: 'Percent', location: 'EV' },
};
