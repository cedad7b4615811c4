/**
 * The messages an OCPP 2.0.1 station sends (other than TransactionEvent), over real sockets on a
 * real PostgreSQL: what each persists and what it is answered. StatusNotification (EVSE = connector),
 * Authorize, MeterValues, NotifyEvent, SecurityEventNotification, NotifyReport,
 * FirmwareStatusNotification, LogStatusNotification, DataTransfer.
 */
import { DataTransferRegistry } from '../../../src/gateway/data-transfer-registry';
import { availabilityView, startRefusal } from '../../../src/stations/connector-availability';
import { RecordingStationEvents } from '../support/handler-context';
import { createGatewayHarness, rawSocket, type GatewayHarness, type RawOcppSocket } from '../support/gateway-harness';

const boot = { reason: 'PowerUp', chargingStation: { vendorName: 'Acme', model: 'AC-22' } };
const at = (s: number) => new Date(Date.UTC(2026, 11, 2, 10, 0, s)).toISOString();

describe('OCPP 2.0.1 station messages', () => {
  let h: GatewayHarness;
  const stationEvents = new RecordingStationEvents();
  const dataTransfers = new DataTransferRegistry();

  beforeAll(async () => {
    h = await createGatewayHarness();
    await h.start({}, { stationEvents, dataTransfers });
    await h.addIdTag('CARD-OK', { parentIdTag: 'FLEET-7', expiryDate: new Date('2030-01-01T00:00:00Z') });
    await h.addIdTag('CARD-BLOCKED', { status: 'Blocked' });
    await h.addIdTag('CARD-OLD', { expiryDate: new Date('2020-01-01T00:00:00Z') });
  });
  afterAll(() => h.close());

  /** A booted (Accepted) raw 2.0.1 station. */
  async function station(id: string): Promise<RawOcppSocket> {
    await h.addCharger(id);
    const ws = await rawSocket(h, id, undefined, ['ocpp2.0.1']);
    expect((await ws.call('boot', 'BootNotification', boot))[2]).toMatchObject({ status: 'Accepted' });
    return ws;
  }
  const q = async (sql: string, params: unknown[]) => (await h.db.pool.query(sql, params)).rows;

  describe('StatusNotification (G01)', () => {
    it('stores the connector status on the connector that is the EVSE, in 2.0.1 words, and logs the EVSE connector (TC_B_01_CSMS: the state of all connectors after boot)', async () => {
      const ws = await station('CS_STATUS');
      for (const [evseId, status] of [[1, 'Available'], [2, 'Occupied']] as const) {
        expect(await ws.call(`s${evseId}`, 'StatusNotification', { timestamp: at(evseId), connectorStatus: status, evseId, connectorId: 1 })).toEqual([3, `s${evseId}`, {}]);
      }
      expect(await q('SELECT connector_id, status, error_code, status_at FROM connectors WHERE station_id = $1 ORDER BY connector_id', ['CS_STATUS'])).toEqual([
        { connector_id: 1, status: 'Available', error_code: 'NoError', status_at: new Date(at(1)) },
        { connector_id: 2, status: 'Occupied', error_code: 'NoError', status_at: new Date(at(2)) },
      ]);
      expect(await q('SELECT connector_id, evse_connector_id, status FROM status_notifications WHERE station_id = $1 ORDER BY id', ['CS_STATUS'])).toEqual([
        { connector_id: 1, evse_connector_id: 1, status: 'Available' },
        { connector_id: 2, evse_connector_id: 1, status: 'Occupied' },
      ]);
      ws.ws.terminate();
    });

    it('keeps the availability rules: Unavailable is Inoperative and refuses a start, Faulted refuses a start (stored as OtherError), Occupied is operative', async () => {
      const ws = await station('CS_AVAIL');
      const statuses = ['Unavailable', 'Faulted', 'Occupied'] as const;
      for (const [i, status] of statuses.entries()) await ws.call(`a${i}`, 'StatusNotification', { timestamp: at(i), connectorStatus: status, evseId: i + 1, connectorId: 1 });
      const rows = await q('SELECT connector_id, status, error_code FROM connectors WHERE station_id = $1 ORDER BY connector_id', ['CS_AVAIL']);
      expect(rows.map((r) => r.error_code)).toEqual(['NoError', 'OtherError', 'NoError']);
      expect(rows.map((r) => availabilityView(null, r.status).effective)).toEqual(['Inoperative', 'Operative', 'Operative']);
      const refusal = (status: string) => startRefusal({ stationId: 'CS_AVAIL', connectorId: 1, connector: { request: null, status }, station: { request: null, status: null } });
      expect(rows.map((r) => refusal(r.status) !== null)).toEqual([true, true, false]);
      ws.ws.terminate();
    });

    it('a status on an EVSE id the database cannot hold is the station’s fault (PropertyConstraintViolation), not an internal error', async () => {
      const ws = await station('CS_STATUS_BAD');
      const reply = await ws.call('neg', 'StatusNotification', { timestamp: at(0), connectorStatus: 'Available', evseId: -1, connectorId: 1 });
      expect(reply.slice(0, 3)).toEqual([4, 'neg', 'PropertyConstraintViolation']);
      expect((await ws.call('alive', 'Heartbeat', {}))[0]).toBe(3);
      ws.ws.terminate();
    });
  });

  describe('Authorize (C01)', () => {
    let ws: RawOcppSocket;
    beforeAll(async () => {
      ws = await station('CS_AUTH');
    });
    afterAll(() => ws.ws.terminate());
    const authorize = async (idToken: string, type = 'ISO14443') => (await ws.call(`auth-${idToken}-${type}`, 'Authorize', { idToken: { idToken, type } }))[2];

    it('answers Accepted with cacheExpiryDateTime and the parent id tag as groupIdToken; the token type does not matter and the match is case-insensitive', async () => {
      const accepted = { idTokenInfo: { status: 'Accepted', cacheExpiryDateTime: '2030-01-01T00:00:00.000Z', groupIdToken: { idToken: 'FLEET-7', type: 'Central' } } };
      expect(await authorize('CARD-OK')).toEqual(accepted);
      expect(await authorize('card-ok', 'Central')).toEqual(accepted);
    });

    it('TC_C_02_CSMS: an unknown idToken is Unknown', async () => {
      expect(await authorize('NOBODY')).toEqual({ idTokenInfo: { status: 'Unknown' } });
    });

    it('TC_C_06_CSMS: a blocked idToken is Blocked; TC_C_07_CSMS: an expired one is Expired', async () => {
      expect(await authorize('CARD-BLOCKED')).toEqual({ idTokenInfo: { status: 'Blocked' } });
      expect(await authorize('CARD-OLD', 'ISO15693')).toEqual({ idTokenInfo: { status: 'Expired', cacheExpiryDateTime: '2020-01-01T00:00:00.000Z' } });
    });

    it('an idToken without its type breaks the 2.0.1 schema: OccurrenceConstraintViolation', async () => {
      expect((await ws.call('notype', 'Authorize', { idToken: { idToken: 'CARD-OK' } })).slice(0, 3)).toEqual([4, 'notype', 'OccurrenceConstraintViolation']);
    });
  });

  describe('MeterValues outside a transaction (J01)', () => {
    it('stores each sample under the EVSE, without a transaction, with unitOfMeasure.multiplier applied exactly', async () => {
      const ws = await station('CS_METER');
      const reply = await ws.call('mv', 'MeterValues', {
        evseId: 2,
        meterValue: [
          {
            timestamp: at(10),
            sampledValue: [
              { value: 154.2, unitOfMeasure: { unit: 'Wh', multiplier: 3 }, context: 'Sample.Clock' },
              { value: 7.4, measurand: 'Power.Active.Import', unitOfMeasure: { unit: 'kW' } },
              { value: 230.1, measurand: 'Voltage', phase: 'L1-N' },
            ],
          },
        ],
      });
      expect(reply).toEqual([3, 'mv', {}]);
      expect(await q('SELECT connector_id, transaction_id, measurand, unit, context, phase, format, value FROM meter_samples WHERE station_id = $1 ORDER BY id', ['CS_METER'])).toEqual([
        { connector_id: 2, transaction_id: null, measurand: 'Energy.Active.Import.Register', unit: 'Wh', context: 'Sample.Clock', phase: null, format: 'Raw', value: '154200' },
        { connector_id: 2, transaction_id: null, measurand: 'Power.Active.Import', unit: 'kW', context: 'Sample.Periodic', phase: null, format: 'Raw', value: '7.4' },
        { connector_id: 2, transaction_id: null, measurand: 'Voltage', unit: 'V', context: 'Sample.Periodic', phase: 'L1-N', format: 'Raw', value: '230.1' },
      ]);
      // The station sends it again (it never saw the answer): nothing is stored twice.
      await ws.call('mv-again', 'MeterValues', { evseId: 2, meterValue: [{ timestamp: at(10), sampledValue: [{ value: 154.2, unitOfMeasure: { unit: 'Wh', multiplier: 3 }, context: 'Sample.Clock' }] }] });
      expect((await q('SELECT count(*)::int AS n FROM meter_samples WHERE station_id = $1', ['CS_METER']))[0].n).toBe(3);
      ws.ws.terminate();
    });

    it('a value given as a string breaks the 2.0.1 schema (TypeConstraintViolation); a multiplier beyond the SI prefixes is PropertyConstraintViolation; nothing is stored', async () => {
      const ws = await station('CS_METER_BAD');
      const asString = await ws.call('str', 'MeterValues', { evseId: 1, meterValue: [{ timestamp: at(0), sampledValue: [{ value: '12' }] }] });
      expect(asString.slice(0, 3)).toEqual([4, 'str', 'TypeConstraintViolation']);
      const huge = await ws.call('huge', 'MeterValues', { evseId: 1, meterValue: [{ timestamp: at(0), sampledValue: [{ value: 1, unitOfMeasure: { multiplier: 1000000000 } }] }] });
      expect(huge.slice(0, 3)).toEqual([4, 'huge', 'PropertyConstraintViolation']);
      expect((await q('SELECT count(*)::int AS n FROM meter_samples WHERE station_id = $1', ['CS_METER_BAD']))[0].n).toBe(0);
      ws.ws.terminate();
    });
  });

  describe('NotifyEvent and SecurityEventNotification (N07, A04)', () => {
    const lockProblem = {
      eventId: 41,
      timestamp: at(20),
      trigger: 'Delta',
      actualValue: 'true',
      eventNotificationType: 'HardWiredNotification',
      component: { name: 'ConnectorPlugRetentionLock', evse: { id: 1, connectorId: 1 } },
      variable: { name: 'Problem' },
      techCode: 'E-LOCK',
    };

    it('TC_G_20_CSMS: stores each event as reported and answers {}; a repeated NotifyEvent stores nothing twice', async () => {
      const ws = await station('CS_EVENTS');
      const frame = { generatedAt: at(21), seqNo: 0, eventData: [lockProblem, { ...lockProblem, eventId: 42, cause: 41, actualValue: 'false', cleared: true, timestamp: at(22) }] };
      expect(await ws.call('e1', 'NotifyEvent', frame)).toEqual([3, 'e1', {}]);
      expect(await ws.call('e2', 'NotifyEvent', frame)).toEqual([3, 'e2', {}]);
      expect(await q('SELECT event_id, cause, trigger, actual_value, cleared, tech_code, component_name, evse_id, evse_connector_id, variable_name, seq_no FROM station_events WHERE station_id = $1 ORDER BY event_id', ['CS_EVENTS'])).toEqual([
        { event_id: 41, cause: null, trigger: 'Delta', actual_value: 'true', cleared: null, tech_code: 'E-LOCK', component_name: 'ConnectorPlugRetentionLock', evse_id: 1, evse_connector_id: 1, variable_name: 'Problem', seq_no: 0 },
        { event_id: 42, cause: 41, trigger: 'Delta', actual_value: 'false', cleared: true, tech_code: 'E-LOCK', component_name: 'ConnectorPlugRetentionLock', evse_id: 1, evse_connector_id: 1, variable_name: 'Problem', seq_no: 0 },
      ]);
      ws.ws.terminate();
    });

    it('TC_F_24_CSMS / G01 by the device model: a Connector AvailabilityState event is that connector’s status too', async () => {
      const ws = await station('CS_EVENT_STATUS');
      const event = { ...lockProblem, eventId: 7, actualValue: 'Occupied', component: { name: 'Connector', evse: { id: 2, connectorId: 1 } }, variable: { name: 'AvailabilityState' } };
      expect(await ws.call('st', 'NotifyEvent', { generatedAt: at(30), seqNo: 0, eventData: [event] })).toEqual([3, 'st', {}]);
      expect(await q('SELECT connector_id, status FROM connectors WHERE station_id = $1', ['CS_EVENT_STATUS'])).toEqual([{ connector_id: 2, status: 'Occupied' }]);
      ws.ws.terminate();
    });

    it('stores a security event and answers {}; a repeated one is stored once', async () => {
      const ws = await station('CS_SECURITY');
      const e = { type: 'SettingSystemTime', timestamp: at(40), techInfo: 'NTP' };
      expect(await ws.call('x1', 'SecurityEventNotification', e)).toEqual([3, 'x1', {}]);
      expect(await ws.call('x2', 'SecurityEventNotification', e)).toEqual([3, 'x2', {}]);
      expect(await ws.call('x3', 'SecurityEventNotification', { type: 'StartupOfTheDevice', timestamp: at(41) })).toEqual([3, 'x3', {}]);
      expect(await q('SELECT type, timestamp, tech_info FROM station_security_events WHERE station_id = $1 ORDER BY timestamp', ['CS_SECURITY'])).toEqual([
        { type: 'SettingSystemTime', timestamp: new Date(at(40)), tech_info: 'NTP' },
        { type: 'StartupOfTheDevice', timestamp: new Date(at(41)), tech_info: null },
      ]);
      ws.ws.terminate();
    });
  });

  describe('NotifyReport (B07 Get Base Report)', () => {
    const variable = (component: object, name: string, value: string, extra: object = {}) => ({
      component,
      variable: { name },
      variableAttribute: [{ type: 'Actual', value, mutability: 'ReadWrite' }],
      variableCharacteristics: { dataType: 'integer', supportsMonitoring: false },
      ...extra,
    });

    it('upserts the device model per component, EVSE and variable: a later report of a variable replaces it, the others stay', async () => {
      const ws = await station('CS_REPORT');
      const part0 = {
        requestId: 9,
        generatedAt: at(50),
        seqNo: 0,
        tbc: true,
        reportData: [
          variable({ name: 'OCPPCommCtrlr' }, 'HeartbeatInterval', '300'),
          variable({ name: 'EVSE', evse: { id: 1 } }, 'Power', '22000', { variableCharacteristics: { dataType: 'decimal', unit: 'W', maxLimit: 22000, supportsMonitoring: true } }),
          variable({ name: 'EVSE', evse: { id: 2 } }, 'Power', '11000'),
        ],
      };
      const part1 = { requestId: 9, generatedAt: at(50), seqNo: 1, reportData: [variable({ name: 'SampledDataCtrlr' }, 'TxUpdatedInterval', '60')] };
      expect(await ws.call('r0', 'NotifyReport', part0)).toEqual([3, 'r0', {}]);
      expect(await ws.call('r1', 'NotifyReport', part1)).toEqual([3, 'r1', {}]);
      // A later report (another requestId) with a new value of one variable.
      expect(await ws.call('r2', 'NotifyReport', { requestId: 10, generatedAt: at(55), seqNo: 0, reportData: [variable({ name: 'OCPPCommCtrlr' }, 'HeartbeatInterval', '60')] })).toEqual([3, 'r2', {}]);
      // A report without data (an empty result) is answered too.
      expect(await ws.call('r3', 'NotifyReport', { requestId: 11, generatedAt: at(56), seqNo: 0 })).toEqual([3, 'r3', {}]);

      const rows = await q(
        'SELECT component_name, evse_id, variable_name, attributes, characteristics, request_id FROM station_device_model WHERE station_id = $1 ORDER BY component_name, evse_id NULLS FIRST, variable_name',
        ['CS_REPORT'],
      );
      expect(rows.map((r) => [r.component_name, r.evse_id, r.variable_name, r.attributes[0].value, r.request_id])).toEqual([
        ['EVSE', 1, 'Power', '22000', 9],
        ['EVSE', 2, 'Power', '11000', 9],
        ['OCPPCommCtrlr', null, 'HeartbeatInterval', '60', 10],
        ['SampledDataCtrlr', null, 'TxUpdatedInterval', '60', 9],
      ]);
      expect(rows[0].characteristics).toEqual({ dataType: 'decimal', unit: 'W', maxLimit: 22000, supportsMonitoring: true });
      expect(rows[0].attributes).toEqual([{ type: 'Actual', value: '22000', mutability: 'ReadWrite' }]);
      ws.ws.terminate();
    });
  });

  describe('FirmwareStatusNotification and LogStatusNotification (L01, N01)', () => {
    it('stores the status in the firmware workflow’s words and as sent (with requestId), and tells the firmware update: InstallRebooting is Installing', async () => {
      const ws = await station('CS_FIRMWARE');
      const sent: string[] = [];
      for (const status of ['DownloadScheduled', 'Downloading', 'Downloaded', 'SignatureVerified', 'InstallRebooting', 'Installed']) {
        expect(await ws.call(`f-${status}`, 'FirmwareStatusNotification', { status, requestId: 77 })).toEqual([3, `f-${status}`, {}]);
        sent.push(status);
      }
      const told = stationEvents.events.filter((e) => e.kind === 'firmwareStatus' && (e.event as { stationId: string }).stationId === 'CS_FIRMWARE').map((e) => (e.event as { status: string }).status);
      expect(told).toEqual(['Downloading', 'Downloading', 'Downloaded', 'Downloaded', 'Installing', 'Installed']);
      expect(await q('SELECT firmware_status, firmware_status_reported, firmware_request_id FROM chargers WHERE id = $1', ['CS_FIRMWARE'])).toEqual([
        { firmware_status: 'Installed', firmware_status_reported: 'Installed', firmware_request_id: 77 },
      ]);
      // A refused signature ends the update as an installation failure.
      await ws.call('f-bad', 'FirmwareStatusNotification', { status: 'InvalidSignature', requestId: 78 });
      expect(await q('SELECT firmware_status, firmware_status_reported, firmware_request_id FROM chargers WHERE id = $1', ['CS_FIRMWARE'])).toEqual([
        { firmware_status: 'InstallationFailed', firmware_status_reported: 'InvalidSignature', firmware_request_id: 78 },
      ]);
      ws.ws.terminate();
    });

    it('TC_N_35_CSMS: Uploading then Uploaded reach the diagnostics request as Uploading and Uploaded; a refused upload is UploadFailed', async () => {
      const ws = await station('CS_LOG');
      for (const status of ['Uploading', 'Uploaded', 'PermissionDenied']) {
        expect(await ws.call(`l-${status}`, 'LogStatusNotification', { status, requestId: 5 })).toEqual([3, `l-${status}`, {}]);
      }
      const told = stationEvents.events.filter((e) => e.kind === 'diagnosticsStatus' && (e.event as { stationId: string }).stationId === 'CS_LOG').map((e) => (e.event as { status: string }).status);
      expect(told).toEqual(['Uploading', 'Uploaded', 'UploadFailed']);
      expect(await q('SELECT diagnostics_status, log_status_reported, log_request_id FROM chargers WHERE id = $1', ['CS_LOG'])).toEqual([
        { diagnostics_status: 'UploadFailed', log_status_reported: 'PermissionDenied', log_request_id: 5 },
      ]);
      ws.ws.terminate();
    });

    it('answers the station even when the workflows cannot be told: the status is stored', async () => {
      const ws = await station('CS_FIRMWARE_DOWN');
      stationEvents.failing = true;
      try {
        expect(await ws.call('f', 'FirmwareStatusNotification', { status: 'Downloading' })).toEqual([3, 'f', {}]);
        expect(await ws.call('l', 'LogStatusNotification', { status: 'Idle' })).toEqual([3, 'l', {}]);
      } finally {
        stationEvents.failing = false;
      }
      expect(await q('SELECT firmware_status, firmware_request_id, diagnostics_status FROM chargers WHERE id = $1', ['CS_FIRMWARE_DOWN'])).toEqual([
        { firmware_status: 'Downloading', firmware_request_id: null, diagnostics_status: 'Idle' },
      ]);
      ws.ws.terminate();
    });
  });

  describe('DataTransfer (P02)', () => {
    it('the vendor’s handler answers (JSON data is passed on as its text); without one UnknownVendorId; each is logged with its answer', async () => {
      const seen: unknown[] = [];
      dataTransfers.register('com.acme', (request) => {
        seen.push(request.data);
        return { status: 'Accepted', data: 'pong' };
      });
      const ws = await station('CS_DATA');
      expect(await ws.call('d1', 'DataTransfer', { vendorId: 'com.acme', messageId: 'ping', data: { n: 1 } })).toEqual([3, 'd1', { status: 'Accepted', data: 'pong' }]);
      expect(await ws.call('d2', 'DataTransfer', { vendorId: 'org.unknown', data: 'x' })).toEqual([3, 'd2', { status: 'UnknownVendorId' }]);
      expect(seen).toEqual(['{"n":1}']);
      expect(await q('SELECT vendor_id, message_id, data, status FROM data_transfers WHERE station_id = $1 ORDER BY id', ['CS_DATA'])).toEqual([
        { vendor_id: 'com.acme', message_id: 'ping', data: '{"n":1}', status: 'Accepted' },
        { vendor_id: 'org.unknown', message_id: null, data: 'x', status: 'UnknownVendorId' },
      ]);
      dataTransfers.unregister('com.acme');
      ws.ws.terminate();
    });
  });
});
