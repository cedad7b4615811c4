/**
 * TriggerMessage, ClearCache and DataTransfer through the operator API on the whole stack
 * (time-skipping Temporal server, session worker, gateway, API, PostgreSQL, simulated chargers
 * over real WebSockets). The station's answers (Accepted, Rejected, NotImplemented,
 * UnknownVendorId …) are 200s; a CALLERROR is 422, a silent or offline station 503, bad input a
 * 4xx naming the field. An accepted trigger is followed by the message itself, stored by the gateway.
 */
import type { SimulatedChargePoint, SimulatedChargePointOptions } from '../../src/simulator/charge-point';
import { startStack, type Stack } from '../reliability/support/stack';

describe('station triggers, ClearCache and DataTransfer', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ name: 'triggers', env: { GATEWAY_COMMAND_TIMEOUT_MS: '1500', SESSION_COMMAND_TIMEOUT_MS: '2500' } });
  });
  afterAll(async () => {
    await stack?.close();
  });

  async function charger(id: string, options: Partial<SimulatedChargePointOptions> = {}): Promise<{ cp: SimulatedChargePoint; received: { action: string; params: any }[] }> {
    await stack.addCharger(id, options.connectors ?? 1);
    const cp = await stack.connectCharger(id, options);
    const received: { action: string; params: any }[] = [];
    cp.on('call', (c: { action: string; params: unknown }) => received.push(c));
    return { cp, received };
  }
  const post = (stationId: string, command: string, body?: unknown) => stack.api.call('POST', `/v1/operator/stations/${stationId}/${command}`, body === undefined ? {} : { body });
  const trigger = (stationId: string, body: unknown) => post(stationId, 'trigger', body);
  const chargerRow = async (stationId: string) =>
    (await stack.db.pool.query('SELECT booted_at, last_heartbeat_at, diagnostics_status_at, firmware_status_at FROM chargers WHERE id = $1', [stationId])).rows[0];
  const statusReports = async (stationId: string) =>
    (await stack.db.pool.query<{ connector_id: number }>('SELECT connector_id FROM status_notifications WHERE station_id = $1 ORDER BY id', [stationId])).rows.map((r) => r.connector_id);
  const triggeredSamples = async (stationId: string) =>
    (await stack.db.pool.query<{ connector_id: number }>(`SELECT DISTINCT connector_id FROM meter_samples WHERE station_id = $1 AND context = 'Trigger' ORDER BY connector_id`, [stationId])).rows.map(
      (r) => r.connector_id,
    );
  const later = (a: Date | null, b: Date | null) => a !== null && (b === null || a.getTime() > b.getTime());

  it('a station that does not report the RemoteTrigger profile is refused a trigger up front (409), nothing sent; Core commands still go', async () => {
    const { received } = await charger('CP_TR_NOPROFILE');
    await stack.db.pool.query(`INSERT INTO station_configuration (station_id, supported_feature_profiles, last_result) VALUES ('CP_TR_NOPROFILE', '{Core}', 'in_sync')`);
    const res = await trigger('CP_TR_NOPROFILE', { requestedMessage: 'Heartbeat' });
    expect(res.status).toBe(409);
    expect(res.json.error).toMatchObject({ code: 'feature_profile_not_supported', message: expect.stringMatching(/RemoteTrigger/) });
    expect((await post('CP_TR_NOPROFILE', 'clear-cache')).status).toBe(200);
    expect(received.map((c) => c.action)).toEqual(['ClearCache']);
  });

  describe('TriggerMessage', () => {
    it('TC_054 TriggerMessage: each message OCPP 1.6 allows is Accepted and then sent by the station', async () => {
      const { received } = await charger('CP_TR_ALL', { connectors: 2 });
      const before = await chargerRow('CP_TR_ALL');
      await new Promise((r) => setTimeout(r, 10)); // so a new timestamp is later than the boot's

      for (const requestedMessage of ['BootNotification', 'Heartbeat', 'DiagnosticsStatusNotification', 'FirmwareStatusNotification']) {
        const res = await trigger('CP_TR_ALL', { requestedMessage });
        expect(res.status).toBe(200);
        expect(res.json).toEqual({ stationId: 'CP_TR_ALL', requestedMessage, status: 'Accepted' });
      }
      const after = await stack.eventually(
        'every triggered message stored',
        () => chargerRow('CP_TR_ALL'),
        (r) => later(r.booted_at, before.booted_at) && later(r.last_heartbeat_at, before.last_heartbeat_at) && r.diagnostics_status_at !== null && r.firmware_status_at !== null,
      );
      expect(after.diagnostics_status_at).not.toBeNull();

      // Without connectorId: every connector; the request carried none.
      const reportsBefore = (await statusReports('CP_TR_ALL')).length;
      expect((await trigger('CP_TR_ALL', { requestedMessage: 'StatusNotification' })).json.status).toBe('Accepted');
      await stack.eventually('a report per connector', () => statusReports('CP_TR_ALL'), (ids) => ids.length >= reportsBefore + 2);
      expect((await statusReports('CP_TR_ALL')).slice(reportsBefore)).toEqual([1, 2]);
      expect((await trigger('CP_TR_ALL', { requestedMessage: 'MeterValues' })).json.status).toBe('Accepted');
      await stack.eventually('triggered meter values of both connectors', () => triggeredSamples('CP_TR_ALL'), (ids) => ids.length === 2);
      expect(received.filter((c) => c.action === 'TriggerMessage').map((c) => c.params.connectorId)).toEqual([undefined, undefined, undefined, undefined, undefined, undefined]);
    });

    it('TC_054 TriggerMessage per connector: StatusNotification and MeterValues of that connector only (0: the station itself)', async () => {
      const { received } = await charger('CP_TR_ONE', { connectors: 2 });
      const reportsBefore = (await statusReports('CP_TR_ONE')).length;
      const res = await trigger('CP_TR_ONE', { requestedMessage: 'StatusNotification', connectorId: 2 });
      expect(res.json).toEqual({ stationId: 'CP_TR_ONE', requestedMessage: 'StatusNotification', connectorId: 2, status: 'Accepted' });
      await stack.eventually('the report of connector 2', () => statusReports('CP_TR_ONE'), (ids) => ids.length > reportsBefore);
      expect((await trigger('CP_TR_ONE', { requestedMessage: 'StatusNotification', connectorId: 0 })).json.status).toBe('Accepted');
      await stack.eventually('the report of connector 0', () => statusReports('CP_TR_ONE'), (ids) => ids.length > reportsBefore + 1);
      expect((await statusReports('CP_TR_ONE')).slice(reportsBefore)).toEqual([2, 0]);

      expect((await trigger('CP_TR_ONE', { requestedMessage: 'MeterValues', connectorId: 1 })).json.status).toBe('Accepted');
      await stack.eventually('triggered meter values of connector 1', () => triggeredSamples('CP_TR_ONE'), (ids) => ids.length > 0);
      expect(await triggeredSamples('CP_TR_ONE')).toEqual([1]);
      expect(received.map((c) => c.params)).toEqual([
        { requestedMessage: 'StatusNotification', connectorId: 2 },
        { requestedMessage: 'StatusNotification', connectorId: 0 },
        { requestedMessage: 'MeterValues', connectorId: 1 },
      ]);
    });

    it('TC_055 TriggerMessage Rejected, and NotImplemented, are the station\'s answers (200)', async () => {
      const { cp } = await charger('CP_TR_NO', { notImplementedTriggers: ['DiagnosticsStatusNotification'] });
      const notImplemented = await trigger('CP_TR_NO', { requestedMessage: 'DiagnosticsStatusNotification' });
      expect(notImplemented.status).toBe(200);
      expect(notImplemented.json.status).toBe('NotImplemented');
      cp.behaviour.TriggerMessage = 'reject';
      const rejected = await trigger('CP_TR_NO', { requestedMessage: 'MeterValues', connectorId: 1 });
      expect(rejected.status).toBe(200);
      expect(rejected.json.status).toBe('Rejected');
      await new Promise((r) => setTimeout(r, 200));
      expect(await triggeredSamples('CP_TR_NO')).toEqual([]);
    });

    it('connectorId where it does not apply is 400, a connector the station lacks 404, both naming body.connectorId; nothing is sent', async () => {
      const { received } = await charger('CP_TR_BAD', { connectors: 2 });
      for (const requestedMessage of ['BootNotification', 'Heartbeat', 'DiagnosticsStatusNotification', 'FirmwareStatusNotification']) {
        const res = await trigger('CP_TR_BAD', { requestedMessage, connectorId: 1 });
        expect(res.status).toBe(400);
        expect(res.json.error.details).toEqual([expect.objectContaining({ field: 'body.connectorId' })]);
      }
      const unknown = await trigger('CP_TR_BAD', { requestedMessage: 'StatusNotification', connectorId: 3 });
      expect(unknown.status).toBe(404);
      expect(unknown.json.error).toMatchObject({ code: 'unknown_connector', details: [{ field: 'body.connectorId' }] });
      for (const [body, field] of [
        [{ requestedMessage: 'GetDiagnostics' }, 'body.requestedMessage'],
        [{}, 'body.requestedMessage'],
        [{ requestedMessage: 'MeterValues', connectorId: -1 }, 'body.connectorId'],
        [{ requestedMessage: 'MeterValues', connectorId: '1' }, 'body.connectorId'],
      ] as const) {
        const res = await trigger('CP_TR_BAD', body);
        expect(res.status).toBe(400);
        expect(res.json.error.details.map((d: any) => d.field)).toContain(field);
      }
      expect((await trigger('CP_TR_NOBODY', { requestedMessage: 'Heartbeat' })).status).toBe(404);
      expect(received).toEqual([]);
    });
  });

  describe('ClearCache', () => {
    it('TC_061 ClearCache Accepted empties the station\'s Authorization Cache; Rejected is its answer (200)', async () => {
      const { cp } = await charger('CP_CC');
      await stack.api.createDriver('cid', ['CID-1']);
      await cp.authorize('CID-1');
      expect(cp.authorizationCache.lookup('CID-1')).toBeDefined();
      const res = await post('CP_CC', 'clear-cache');
      expect(res.status).toBe(200);
      expect(res.json).toEqual({ stationId: 'CP_CC', status: 'Accepted' });
      expect(cp.authorizationCache.lookup('CID-1')).toBeUndefined();

      cp.behaviour.ClearCache = 'reject';
      const rejected = await post('CP_CC', 'clear-cache');
      expect(rejected.status).toBe(200);
      expect(rejected.json).toEqual({ stationId: 'CP_CC', status: 'Rejected' });
    });
  });

  describe('DataTransfer', () => {
    const dataTransfer: SimulatedChargePointOptions['dataTransfer'] = (req) =>
      req.vendorId !== 'com.acme' ? { status: 'UnknownVendorId' } : req.messageId === 'Echo' ? { status: 'Accepted', data: `echo:${req.data ?? ''}` } : { status: 'UnknownMessageId' };

    it('DataTransfer to a charge point: its status and data are the answer (200)', async () => {
      const { received } = await charger('CP_DT', { dataTransfer });
      const res = await post('CP_DT', 'data-transfer', { vendorId: 'com.acme', messageId: 'Echo', data: '{"line":1}' });
      expect(res.status).toBe(200);
      expect(res.json).toEqual({ stationId: 'CP_DT', status: 'Accepted', data: 'echo:{"line":1}' });
      expect(received.find((c) => c.action === 'DataTransfer')).toMatchObject({ params: { vendorId: 'com.acme', messageId: 'Echo', data: '{"line":1}' } });
      expect((await post('CP_DT', 'data-transfer', { vendorId: 'com.acme', messageId: 'Other' })).json).toEqual({ stationId: 'CP_DT', status: 'UnknownMessageId' });
      expect((await post('CP_DT', 'data-transfer', { vendorId: 'org.other' })).json).toEqual({ stationId: 'CP_DT', status: 'UnknownVendorId' });
      // Only the DataTransfers: the boot's own commands (configuration, local list) may interleave.
      const transfers = received.filter((c) => c.action === 'DataTransfer');
      expect(transfers[2].params).toEqual({ vendorId: 'org.other' }); // absent fields stay absent on the wire
    });

    it('Rejected is the station\'s answer; bad input is 400 naming the field and sends nothing', async () => {
      const { cp, received } = await charger('CP_DT_BAD', { dataTransfer });
      cp.behaviour.DataTransfer = 'reject';
      expect((await post('CP_DT_BAD', 'data-transfer', { vendorId: 'com.acme' })).json).toEqual({ stationId: 'CP_DT_BAD', status: 'Rejected' });
      received.length = 0;
      for (const [body, field] of [
        [{ vendorId: 'v'.repeat(256) }, 'body.vendorId'],
        [{ vendorId: '' }, 'body.vendorId'],
        [{ messageId: 'Echo' }, 'body.vendorId'],
        [{ vendorId: 'com.acme', messageId: 'm'.repeat(51) }, 'body.messageId'],
        [{ vendorId: 'com.acme', data: { line: 1 } }, 'body.data'],
        [{ vendorId: 'com.acme', extra: true }, 'Unrecognized key: "extra"'],
      ] as const) {
        const res = await post('CP_DT_BAD', 'data-transfer', body);
        expect(res.status).toBe(400);
        expect(res.json.error.message).toContain(field);
      }
      expect(received).toEqual([]);
    });
  });

  describe('faults, for each command', () => {
    const commands = [
      ['TriggerMessage', 'trigger', { requestedMessage: 'Heartbeat' }],
      ['ClearCache', 'clear-cache', undefined],
      ['DataTransfer', 'data-transfer', { vendorId: 'com.acme' }],
    ] as const;

    it.each(commands)('%s: a CALLERROR is 422, a station that does not answer in time 503, an offline one 503', async (action, path, body) => {
      const id = `CP_FAULT_${action}`;
      const { cp } = await charger(id);
      cp.behaviour[action] = 'callerror';
      const callError = await post(id, path, body);
      expect(callError.status).toBe(422);
      expect(callError.json.error).toMatchObject({ code: 'rejected', message: expect.stringMatching(/InternalError/) });

      cp.behaviour[action] = 'ignore';
      const silent = await post(id, path, body);
      expect(silent.status).toBe(503);
      expect(silent.json.error).toMatchObject({ code: 'station_offline', message: expect.stringMatching(/did not answer in time/) });

      await cp.close();
      await stack.eventually(`${id} offline`, async () => (await stack.api.call('GET', `/v1/stations/${id}`)).json.online, (online) => online === false);
      const offline = await post(id, path, body);
      expect(offline.status).toBe(503);
      expect(offline.json.error.code).toBe('station_offline');
    });
  });
});
