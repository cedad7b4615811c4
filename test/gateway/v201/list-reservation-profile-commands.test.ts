/**
 * The contract's Local Authorization List, Reservation and Smart Charging commands (1.6 words,
 * through gateway.commands, the functions the Temporal activities are) as a 2.0.1 station gets
 * them: the frame on the wire (schema-valid: the station side validates strictly) and its answer
 * read back in the contract's words. The station is a raw 2.0.1 socket that answers as scripted.
 */
import { createGatewayHarness, commandFailure, rawSocket, type GatewayHarness, type RawOcppSocket } from '../support/gateway-harness';

const boot = { reason: 'PowerUp', chargingStation: { vendorName: 'Acme', model: 'AC-22' } };

type Answer = { result: object } | { error: string };

/** A booted 2.0.1 station answering each CSMS call by `answers[action]`, and recording what it got. */
async function station201(h: GatewayHarness, id: string, answers: Record<string, (payload: any) => Answer>): Promise<{ ws: RawOcppSocket; got: Array<{ action: string; payload: any }> }> {
  if ((await h.db.pool.query('SELECT 1 FROM chargers WHERE id = $1', [id])).rowCount === 0) await h.addCharger(id);
  const ws = await rawSocket(h, id, undefined, ['ocpp2.0.1']);
  expect((await ws.call('boot', 'BootNotification', boot))[2]).toMatchObject({ status: 'Accepted' });
  const got: Array<{ action: string; payload: any }> = [];
  ws.ws.on('message', (data) => {
    const [type, messageId, action, payload] = JSON.parse(data.toString());
    if (type !== 2) return;
    got.push({ action, payload });
    const answer = answers[action]?.(payload) ?? { error: 'NotImplemented' };
    ws.send(JSON.stringify('result' in answer ? [3, messageId, answer.result] : [4, messageId, answer.error, '', {}]));
  });
  return { ws, got };
}

describe('OCPP 2.0.1: local list, reservation and smart charging commands', () => {
  let h: GatewayHarness;

  beforeAll(async () => {
    h = await createGatewayHarness();
    await h.start();
  });
  afterAll(() => h.close());

  describe('Local Authorization List (D01, D02)', () => {
    it('TC_D_01_CSMS: a Full SendLocalList goes out as versionNumber and idTokens (ISO14443) with their idTokenInfo; Accepted reads back', async () => {
      const { got } = await station201(h, 'CS_LL_FULL', { SendLocalList: () => ({ result: { status: 'Accepted' } }) });
      const answer = await h.gateway.commands.sendLocalList({
        stationId: 'CS_LL_FULL',
        listVersion: 7,
        updateType: 'Full',
        localAuthorizationList: [
          { idTag: 'CARD-1', idTagInfo: { status: 'Accepted', expiryDate: '2027-01-01T00:00:00.000Z', parentIdTag: 'FLEET' } },
          { idTag: 'CARD-2', idTagInfo: { status: 'Blocked' } },
        ],
      });
      expect(answer).toEqual({ status: 'Accepted' });
      expect(got).toEqual([
        {
          action: 'SendLocalList',
          payload: {
            versionNumber: 7,
            updateType: 'Full',
            localAuthorizationList: [
              {
                idToken: { idToken: 'CARD-1', type: 'ISO14443' },
                idTokenInfo: { status: 'Accepted', cacheExpiryDateTime: '2027-01-01T00:00:00.000Z', groupIdToken: { idToken: 'FLEET', type: 'Central' } },
              },
              { idToken: { idToken: 'CARD-2', type: 'ISO14443' }, idTokenInfo: { status: 'Blocked' } },
            ],
          },
        },
      ]);
    });

    it('TC_D_03_CSMS / TC_D_04_CSMS: a Differential removal is an entry without idTokenInfo; an empty Full list leaves the list out (2.0.1 wants ≥ 1 entry); Failed and VersionMismatch read back', async () => {
      const statuses = ['VersionMismatch', 'Failed'];
      const { got } = await station201(h, 'CS_LL_DIFF', { SendLocalList: () => ({ result: { status: statuses.shift() ?? 'Accepted' } }) });
      const send = (req: object) => h.gateway.commands.sendLocalList({ stationId: 'CS_LL_DIFF', ...req } as never);
      expect(await send({ listVersion: 8, updateType: 'Differential', localAuthorizationList: [{ idTag: 'CARD-2' }] })).toEqual({ status: 'VersionMismatch' });
      expect(await send({ listVersion: 9, updateType: 'Full', localAuthorizationList: [] })).toEqual({ status: 'Failed' });
      expect(await send({ listVersion: 9, updateType: 'Full' })).toEqual({ status: 'Accepted' });
      expect(got.map((g) => g.payload)).toEqual([
        { versionNumber: 8, updateType: 'Differential', localAuthorizationList: [{ idToken: { idToken: 'CARD-2', type: 'ISO14443' } }] },
        { versionNumber: 9, updateType: 'Full' },
        { versionNumber: 9, updateType: 'Full' },
      ]);
    });

    it('TC_D_08_CSMS / TC_D_09_CSMS: GetLocalListVersion sends {} and reads versionNumber as listVersion; a station without the list answers NotSupported (the sync then keeps the cache only)', async () => {
      const versions = [3, 0];
      const { got } = await station201(h, 'CS_LL_VER', { GetLocalListVersion: () => ({ result: { versionNumber: versions.shift() } }) });
      expect(await h.gateway.commands.getLocalListVersion({ stationId: 'CS_LL_VER' })).toEqual({ listVersion: 3 });
      expect(await h.gateway.commands.getLocalListVersion({ stationId: 'CS_LL_VER' })).toEqual({ listVersion: 0 });
      expect(got).toEqual([
        { action: 'GetLocalListVersion', payload: {} },
        { action: 'GetLocalListVersion', payload: {} },
      ]);
      await station201(h, 'CS_LL_NONE', { GetLocalListVersion: () => ({ error: 'NotSupported' }) });
      const failure = await commandFailure(h.gateway.commands.getLocalListVersion({ stationId: 'CS_LL_NONE' }));
      expect(failure.type).toBe('OcppCallError');
      expect(failure.details?.[0]).toMatchObject({ errorCode: 'NotSupported' });
    });
  });

  describe('Reservation (H01, H02, H04)', () => {
    it('TC_H_01_CSMS / TC_H_22_CSMS: ReserveNow goes out as id, evseId, expiryDateTime, idToken and groupIdToken; every status reads back as it is', async () => {
      const statuses = ['Accepted', 'Occupied', 'Faulted', 'Unavailable', 'Rejected'];
      const { got } = await station201(h, 'CS_RES', { ReserveNow: () => ({ result: { status: statuses[got.length - 1] } }) });
      const reserve = (reservationId: number) =>
        h.gateway.commands.reserveNow({ stationId: 'CS_RES', reservationId, connectorId: 2, expiryDate: '2027-01-01T10:00:00.000Z', idTag: 'CARD-1', parentIdTag: 'FLEET' });
      const answers = [];
      for (let id = 1; id <= 5; id++) answers.push((await reserve(id)).status);
      expect(answers).toEqual(['Accepted', 'Occupied', 'Faulted', 'Unavailable', 'Rejected']);
      expect(got[0]).toEqual({
        action: 'ReserveNow',
        payload: { id: 1, evseId: 2, expiryDateTime: '2027-01-01T10:00:00.000Z', idToken: { idToken: 'CARD-1', type: 'ISO14443' }, groupIdToken: { idToken: 'FLEET', type: 'Central' } },
      });
    });

    it('TC_H_08_CSMS: connector 0 (the station as a whole) is a reservation of no particular EVSE: evseId left out', async () => {
      const { got } = await station201(h, 'CS_RES0', { ReserveNow: () => ({ result: { status: 'Accepted' } }) });
      await h.gateway.commands.reserveNow({ stationId: 'CS_RES0', reservationId: 9, connectorId: 0, expiryDate: '2027-01-01T10:00:00.000Z', idTag: 'CARD-1' });
      expect(got[0]!.payload).toEqual({ id: 9, expiryDateTime: '2027-01-01T10:00:00.000Z', idToken: { idToken: 'CARD-1', type: 'ISO14443' } });
    });

    it('TC_H_17_CSMS: CancelReservation carries the same reservationId; Accepted and Rejected read back', async () => {
      const statuses = ['Accepted', 'Rejected'];
      const { got } = await station201(h, 'CS_CANCEL', { CancelReservation: () => ({ result: { status: statuses.shift() } }) });
      expect(await h.gateway.commands.cancelReservation({ stationId: 'CS_CANCEL', reservationId: 41 })).toEqual({ status: 'Accepted' });
      expect(await h.gateway.commands.cancelReservation({ stationId: 'CS_CANCEL', reservationId: 42 })).toEqual({ status: 'Rejected' });
      expect(got).toEqual([
        { action: 'CancelReservation', payload: { reservationId: 41 } },
        { action: 'CancelReservation', payload: { reservationId: 42 } },
      ]);
    });

    it('TC_H_07_CSMS / TC_H_20_CSMS: a ReservationStatusUpdate (Expired, Removed) from the station is acknowledged with {}; a bad one gets a 2.0.1 error code', async () => {
      const { ws } = await station201(h, 'CS_RES_UPD', {});
      expect(await ws.call('u1', 'ReservationStatusUpdate', { reservationId: 1, reservationUpdateStatus: 'Expired' })).toEqual([3, 'u1', {}]);
      expect(await ws.call('u2', 'ReservationStatusUpdate', { reservationId: 2, reservationUpdateStatus: 'Removed' })).toEqual([3, 'u2', {}]);
      expect((await ws.call('u3', 'ReservationStatusUpdate', { reservationId: 3, reservationUpdateStatus: 'Used' })).slice(0, 3)).toEqual([4, 'u3', 'PropertyConstraintViolation']);
    });
  });

  describe('Smart Charging (K01, K10, K08)', () => {
    const schedule = {
      chargingRateUnit: 'W' as const,
      duration: 3600,
      startSchedule: '2027-01-01T00:00:00.000Z',
      minChargingRate: 1000,
      chargingSchedulePeriod: [
        { startPeriod: 0, limit: 11000, numberPhases: 3 },
        { startPeriod: 1800, limit: 7400.5 },
      ],
    };

    it('TC_K_03_CSMS / TC_K_19_CSMS: a ChargePointMaxProfile goes out as a ChargingStationMaxProfile on EVSE 0, its schedule an array of one with the profile id', async () => {
      const { got } = await station201(h, 'CS_SCP_MAX', { SetChargingProfile: () => ({ result: { status: 'Accepted' } }) });
      const answer = await h.gateway.commands.setChargingProfile({
        stationId: 'CS_SCP_MAX',
        connectorId: 0,
        csChargingProfiles: {
          chargingProfileId: 1,
          stackLevel: 0,
          chargingProfilePurpose: 'ChargePointMaxProfile',
          chargingProfileKind: 'Recurring',
          recurrencyKind: 'Daily',
          validFrom: '2027-01-01T00:00:00.000Z',
          validTo: '2028-01-01T00:00:00.000Z',
          chargingSchedule: schedule,
        },
      });
      expect(answer).toEqual({ status: 'Accepted' });
      expect(got[0]).toEqual({
        action: 'SetChargingProfile',
        payload: {
          evseId: 0,
          chargingProfile: {
            id: 1,
            stackLevel: 0,
            chargingProfilePurpose: 'ChargingStationMaxProfile',
            chargingProfileKind: 'Recurring',
            recurrencyKind: 'Daily',
            validFrom: '2027-01-01T00:00:00.000Z',
            validTo: '2028-01-01T00:00:00.000Z',
            chargingSchedule: [{ id: 1, ...schedule }],
          },
        },
      });
    });

    describe('a TxProfile names the station’s transaction id (ocpp201_transactions)', () => {
      let transactionId: number;
      beforeAll(async () => {
        await h.addCharger('CS_SCP_TX');
        await h.db.pool.query(`INSERT INTO sessions (id, station_id, connector_id, origin, status) VALUES ('sess_scp_tx', 'CS_SCP_TX', 2, 'app', 'charging')`);
        const { rows } = await h.db.pool.query(
          `INSERT INTO transactions (session_id, station_id, connector_id, id_tag, meter_start, start_timestamp) VALUES ('sess_scp_tx', 'CS_SCP_TX', 2, 'CARD-1', 0, now()) RETURNING id`,
        );
        transactionId = rows[0].id;
        await h.db.pool.query(`INSERT INTO ocpp201_transactions (station_id, charger_transaction_id, transaction_id, evse_id) VALUES ('CS_SCP_TX', 'tx-abc-123', $1, 2)`, [transactionId]);
      });

      const txProfile = (extra: object = {}) => ({
        chargingProfileId: 202,
        stackLevel: 2,
        chargingProfilePurpose: 'TxProfile' as const,
        chargingProfileKind: 'Relative' as const,
        chargingSchedule: { chargingRateUnit: 'A' as const, chargingSchedulePeriod: [{ startPeriod: 0, limit: 16 }] },
        ...extra,
      });

      it('TC_K_60_CSMS: our integer transactionId goes out as the station’s string; Rejected reads back', async () => {
        const { got, ws } = await station201(h, 'CS_SCP_TX', { SetChargingProfile: () => ({ result: { status: 'Rejected' } }) });
        expect(await h.gateway.commands.setChargingProfile({ stationId: 'CS_SCP_TX', connectorId: 2, csChargingProfiles: txProfile({ transactionId }) })).toEqual({ status: 'Rejected' });
        expect(got[0]!.payload).toEqual({
          evseId: 2,
          chargingProfile: {
            id: 202,
            stackLevel: 2,
            chargingProfilePurpose: 'TxProfile',
            chargingProfileKind: 'Relative',
            chargingSchedule: [{ id: 202, chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 16 }] }],
            transactionId: 'tx-abc-123',
          },
        });
        // A TxProfile that names no transaction gets the one running on the EVSE.
        await h.gateway.commands.setChargingProfile({ stationId: 'CS_SCP_TX', connectorId: 2, csChargingProfiles: txProfile() });
        expect(got[1]!.payload.chargingProfile.transactionId).toBe('tx-abc-123');
        // One that names a transaction the station does not have is not sent: it fails as NotSupported.
        const failure = await commandFailure(
          h.gateway.commands.setChargingProfile({ stationId: 'CS_SCP_TX', connectorId: 2, csChargingProfiles: txProfile({ transactionId: transactionId + 1000 }) }),
        );
        expect(failure.type).toBe('OcppCallError');
        expect(failure.details?.[0]).toMatchObject({ errorCode: 'NotSupported' });
        expect(got).toHaveLength(2);
        ws.ws.terminate();
      });
    });

    it('TC_K_05_CSMS / TC_K_06_CSMS / TC_K_08_CSMS: ClearChargingProfile by id is chargingProfileId; by connector, purpose and stack level it is chargingProfileCriteria; Unknown reads back', async () => {
      const statuses = ['Accepted', 'Unknown', 'Accepted'];
      const { got } = await station201(h, 'CS_CLEAR', { ClearChargingProfile: () => ({ result: { status: statuses.shift() } }) });
      expect(await h.gateway.commands.clearChargingProfile({ stationId: 'CS_CLEAR', id: 2 })).toEqual({ status: 'Accepted' });
      expect(await h.gateway.commands.clearChargingProfile({ stationId: 'CS_CLEAR', connectorId: 0, chargingProfilePurpose: 'ChargePointMaxProfile', stackLevel: 0 })).toEqual({
        status: 'Unknown',
      });
      expect(await h.gateway.commands.clearChargingProfile({ stationId: 'CS_CLEAR' })).toEqual({ status: 'Accepted' });
      expect(got.map((g) => g.payload)).toEqual([
        { chargingProfileId: 2 },
        { chargingProfileCriteria: { evseId: 0, chargingProfilePurpose: 'ChargingStationMaxProfile', stackLevel: 0 } },
        {},
      ]);
    });

    it('TC_K_43_CSMS: GetCompositeSchedule asks by evseId; the schedule reads back as 1.6’s connectorId, scheduleStart and chargingSchedule; Rejected has none', async () => {
      const replies: object[] = [
        {
          status: 'Accepted',
          schedule: {
            evseId: 1,
            duration: 600,
            scheduleStart: '2027-01-01T00:00:00.000Z',
            chargingRateUnit: 'A',
            chargingSchedulePeriod: [
              { startPeriod: 0, limit: 32, numberPhases: 3 },
              { startPeriod: 300, limit: 16, numberPhases: 1, phaseToUse: 2 },
            ],
          },
        },
        { status: 'Rejected' },
      ];
      const { got } = await station201(h, 'CS_COMPOSITE', { GetCompositeSchedule: () => ({ result: replies.shift()! }) });
      expect(await h.gateway.commands.getCompositeSchedule({ stationId: 'CS_COMPOSITE', connectorId: 1, duration: 600, chargingRateUnit: 'A' })).toEqual({
        status: 'Accepted',
        connectorId: 1,
        scheduleStart: '2027-01-01T00:00:00.000Z',
        chargingSchedule: {
          duration: 600,
          chargingRateUnit: 'A',
          chargingSchedulePeriod: [
            { startPeriod: 0, limit: 32, numberPhases: 3 },
            { startPeriod: 300, limit: 16, numberPhases: 1 },
          ],
        },
      });
      expect(await h.gateway.commands.getCompositeSchedule({ stationId: 'CS_COMPOSITE', connectorId: 1, duration: 60 })).toEqual({ status: 'Rejected' });
      expect(got.map((g) => g.payload)).toEqual([{ evseId: 1, duration: 600, chargingRateUnit: 'A' }, { evseId: 1, duration: 60 }]);
    });
  });
});
