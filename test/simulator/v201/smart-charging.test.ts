/** SetChargingProfile / ClearChargingProfile / GetCompositeSchedule (K01, K08, K10) within the SmartChargingCtrlr limits. */
import { useStationHarness } from './support/harness';

const h = useStationHarness('SC201');
const { connected } = h;

const profile = (extra: Record<string, unknown> = {}, schedule: Record<string, unknown> = {}) => ({
  id: 1,
  stackLevel: 0,
  chargingProfilePurpose: 'TxDefaultProfile',
  chargingProfileKind: 'Relative',
  chargingSchedule: [{ id: 1, chargingRateUnit: 'W', chargingSchedulePeriod: [{ startPeriod: 0, limit: 7000 }], ...schedule }],
  ...extra,
});

describe('SetChargingProfile (K01)', () => {
  test('a TxDefaultProfile limits what the EVSE draws and counts in SmartChargingCtrlr.Entries (TC_K_01_CS)', async () => {
    const s = await connected({ defaultPowerW: 11_000 });
    await expect(h.csms.command(s.stationId, 'SetChargingProfile', { evseId: 1, chargingProfile: profile() })).resolves.toEqual({ status: 'Accepted' });
    expect(s.variable('SmartChargingCtrlr.Entries')).toBe('1');
    await s.startTransaction(1, 'TAG');
    expect(s.power(1)).toBe(7000);
  });

  test('profiles outside the spec or the controller limits are Rejected with a reason', async () => {
    const s = await connected();
    const rejected = async (evseId: number, p: object) => {
      const answer = await h.csms.command(s.stationId, 'SetChargingProfile', { evseId, chargingProfile: p });
      expect(answer).toMatchObject({ status: 'Rejected', statusInfo: { reasonCode: 'InvalidProfile' } });
      return answer.statusInfo.additionalInfo as string;
    };
    expect(await rejected(1, profile({ stackLevel: 11 }))).toMatch(/ProfileStackLevel/);
    expect(await rejected(1, profile({ chargingProfilePurpose: 'ChargingStationMaxProfile' }))).toMatch(/evseId 0/);
    expect(await rejected(1, profile({ chargingProfilePurpose: 'TxProfile' }))).toMatch(/no transaction/);
    expect(await rejected(0, profile({ chargingProfilePurpose: 'TxProfile' }))).toMatch(/TxProfile needs an EVSE/);
    expect(await rejected(1, profile({}, { chargingSchedulePeriod: [{ startPeriod: 10, limit: 1 }] }))).toMatch(/first startPeriod/);
    expect(await rejected(1, profile({}, { chargingSchedulePeriod: Array.from({ length: 25 }, (_, i) => ({ startPeriod: i * 60, limit: 1000 })) }))).toMatch(/PeriodsPerSchedule/);
    expect(await rejected(1, profile({ chargingProfileKind: 'Absolute' }))).toMatch(/startSchedule required/);
    expect(await rejected(9, profile())).toMatch(/unknown EVSE/);
    await h.csms.command(s.stationId, 'SetChargingProfile', { evseId: 1, chargingProfile: profile() });
    expect(await rejected(1, profile({ id: 2 }))).toMatch(/purpose and stackLevel/);
    expect(s.variable('SmartChargingCtrlr.Entries')).toBe('1');
  });

  test('a rate unit outside SmartChargingCtrlr.RateUnit is Rejected', async () => {
    const s = await connected({ variables: {} });
    s.deviceModel.setInternal('SmartChargingCtrlr.RateUnit', 'A');
    await expect(h.csms.command(s.stationId, 'SetChargingProfile', { evseId: 1, chargingProfile: profile() })).resolves.toMatchObject({ status: 'Rejected' });
  });

  test('a TxProfile for the running transaction caps it and ends with it', async () => {
    const s = await connected({ defaultPowerW: 11_000 });
    const { transactionId } = await s.startTransaction(1, 'TAG');
    await expect(
      h.csms.command(s.stationId, 'SetChargingProfile', { evseId: 1, chargingProfile: profile({ chargingProfilePurpose: 'TxProfile', transactionId }, { chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 10 }] }) }),
    ).resolves.toEqual({ status: 'Accepted' });
    expect(s.power(1)).toBe(6900);
    await expect(h.csms.command(s.stationId, 'SetChargingProfile', { evseId: 1, chargingProfile: profile({ id: 5, chargingProfilePurpose: 'TxProfile', transactionId: 'other' }) })).resolves.toMatchObject({
      status: 'Rejected',
    });
    await s.stopTransaction(1);
    expect(s.variable('SmartChargingCtrlr.Entries')).toBe('0');
  });

  test('a TxProfile given with RequestStartTransaction is installed for the transaction it starts', async () => {
    const s = await connected();
    const started = s.waitFor('chargingProfilesChanged');
    await h.csms.command(s.stationId, 'RequestStartTransaction', {
      idToken: { idToken: 'APP', type: 'Central' },
      evseId: 1,
      remoteStartId: 9,
      chargingProfile: profile({ chargingProfilePurpose: 'TxProfile' }, { chargingSchedulePeriod: [{ startPeriod: 0, limit: 4000 }] }),
    });
    await started;
    expect(s.power(1)).toBe(4000);
    expect(s.features.smartCharging.installed(1)[0].profile.transactionId).toBe(s.transactionId(1));
  });
});

describe('ClearChargingProfile (K10) and GetCompositeSchedule (K08)', () => {
  test('clearing by id or criteria answers Accepted, Unknown when nothing matched', async () => {
    const s = await connected();
    await h.csms.command(s.stationId, 'SetChargingProfile', { evseId: 1, chargingProfile: profile() });
    await h.csms.command(s.stationId, 'SetChargingProfile', { evseId: 0, chargingProfile: profile({ id: 2, chargingProfilePurpose: 'ChargingStationMaxProfile' }) });
    await expect(h.csms.command(s.stationId, 'ClearChargingProfile', { chargingProfileId: 99 })).resolves.toEqual({ status: 'Unknown' });
    await expect(h.csms.command(s.stationId, 'ClearChargingProfile', { chargingProfileCriteria: { chargingProfilePurpose: 'ChargingStationMaxProfile' } })).resolves.toEqual({ status: 'Accepted' });
    await expect(h.csms.command(s.stationId, 'ClearChargingProfile', { chargingProfileId: 1 })).resolves.toEqual({ status: 'Accepted' });
    expect(s.variable('SmartChargingCtrlr.Entries')).toBe('0');
  });

  test('the composite schedule is the minimum of the station maximum and the EVSE profile, period by period (TC_K_?: K08)', async () => {
    const s = await connected();
    await h.csms.command(s.stationId, 'SetChargingProfile', {
      evseId: 0,
      chargingProfile: profile({ id: 2, chargingProfilePurpose: 'ChargingStationMaxProfile', chargingProfileKind: 'Absolute' }, { startSchedule: new Date(Date.now() - 1000).toISOString(), chargingSchedulePeriod: [{ startPeriod: 0, limit: 9000 }] }),
    });
    await h.csms.command(s.stationId, 'SetChargingProfile', { evseId: 1, chargingProfile: profile({}, { chargingSchedulePeriod: [{ startPeriod: 0, limit: 11000 }, { startPeriod: 600, limit: 5000 }] }) });
    const answer = await h.csms.command(s.stationId, 'GetCompositeSchedule', { evseId: 1, duration: 1200, chargingRateUnit: 'W' });
    expect(answer.status).toBe('Accepted');
    expect(answer.schedule).toMatchObject({ evseId: 1, duration: 1200, chargingRateUnit: 'W' });
    expect(answer.schedule.chargingSchedulePeriod).toEqual([
      { startPeriod: 0, limit: 9000 },
      { startPeriod: 600, limit: 5000 },
    ]);
    await expect(h.csms.command(s.stationId, 'GetCompositeSchedule', { evseId: 5, duration: 60 })).resolves.toMatchObject({ status: 'Rejected' });
  });
});
