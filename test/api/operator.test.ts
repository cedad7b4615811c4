import { verifyPassword } from '../../src/security/password';
import { startTestApi, TestApi } from './support/api-harness';

describe('operator management of chargers, drivers and tariffs', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(async () => {
    await api?.close();
  });

  describe('tariffs', () => {
    it('creates a tariff and reads back the exact decimal rate', async () => {
      const res = await api.call('POST', '/v1/operator/tariffs', { body: { id: 'standard', name: 'Standard', currency: 'EUR', ratePerKwh: '0.25', isDefault: true } });
      expect(res.status).toBe(201);
      expect(res.json).toMatchObject({ id: 'standard', currency: 'EUR', ratePerKwh: '0.25', isDefault: true });
      const { rows } = await api.db.pool.query(`SELECT rate_per_kwh FROM tariffs WHERE id = 'standard'`);
      expect(rows[0].rate_per_kwh).toBe('0.250000');
    });

    it('refuses a rate given as a JSON number or with too many decimals, naming the field', async () => {
      const asNumber = await api.call('POST', '/v1/operator/tariffs', { body: { id: 'x', name: 'X', currency: 'EUR', ratePerKwh: 0.25 } });
      expect(asNumber.status).toBe(400);
      expect(asNumber.json.error.details[0].field).toBe('body.ratePerKwh');
      const tooFine = await api.call('POST', '/v1/operator/tariffs', { body: { id: 'x', name: 'X', currency: 'eur', ratePerKwh: '0.1234567' } });
      expect(tooFine.json.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['body.currency', 'body.ratePerKwh']);
    });

    it('keeps exactly one default: a new default takes the flag from the old one', async () => {
      await api.call('POST', '/v1/operator/tariffs', { body: { id: 'night', name: 'Night', currency: 'EUR', ratePerKwh: '0.18', isDefault: true } });
      const list = await api.call('GET', '/v1/operator/tariffs');
      expect(list.json.tariffs.map((t: { id: string; isDefault: boolean }) => [t.id, t.isDefault])).toEqual([
        ['night', true],
        ['standard', false],
      ]);
      const patched = await api.call('PATCH', '/v1/operator/tariffs/standard', { body: { isDefault: true, ratePerKwh: '0.30' } });
      expect(patched.json).toMatchObject({ isDefault: true, ratePerKwh: '0.3' });
      expect((await api.call('GET', '/v1/operator/tariffs/night')).json.isDefault).toBe(false);
    });

    it('answers 409 for a duplicate id and 404 for an unknown one', async () => {
      expect((await api.call('POST', '/v1/operator/tariffs', { body: { id: 'night', name: 'N', currency: 'EUR', ratePerKwh: '1' } })).status).toBe(409);
      expect((await api.call('GET', '/v1/operator/tariffs/nope')).status).toBe(404);
      expect((await api.call('PATCH', '/v1/operator/tariffs/nope', { body: { name: 'n' } })).status).toBe(404);
      expect((await api.call('DELETE', '/v1/operator/tariffs/nope')).status).toBe(404);
      expect((await api.call('PATCH', '/v1/operator/tariffs/night', { body: {} })).status).toBe(400);
    });
  });

  describe('chargers', () => {
    it('registers a charger with its password stored only as a verifiable hash', async () => {
      const res = await api.call('POST', '/v1/operator/chargers', { body: { stationId: 'CP_1', password: 'correct-horse-battery', connectors: 2 } });
      expect(res.status).toBe(201);
      expect(res.headers.get('location')).toBe('/v1/stations/CP_1');
      expect(res.json).toMatchObject({ stationId: 'CP_1', online: false, connectors: [{ connectorId: 1, status: 'Unknown' }, { connectorId: 2 }] });
      expect(JSON.stringify(res.json)).not.toContain('correct-horse');
      const { rows } = await api.db.pool.query(`SELECT password_hash FROM chargers WHERE id = 'CP_1'`);
      expect(rows[0].password_hash).not.toContain('correct-horse');
      expect(await verifyPassword('correct-horse-battery', rows[0].password_hash)).toBe(true);
      expect(await verifyPassword('wrong-horse-battery!', rows[0].password_hash)).toBe(false);
    });

    it('refuses a password outside the 16-40 characters OCPP allows, and a duplicate charger', async () => {
      const short = await api.call('POST', '/v1/operator/chargers', { body: { stationId: 'CP_2', password: 'short' } });
      expect(short.status).toBe(400);
      expect(short.json.error.details[0]).toEqual({ field: 'body.password', problem: expect.stringContaining('16') });
      const dup = await api.call('POST', '/v1/operator/chargers', { body: { stationId: 'CP_1', password: 'another-password-123' } });
      expect(dup.status).toBe(409);
    });

    it('changes the password and tariff of a charger, and 404s an unknown tariff', async () => {
      const res = await api.call('PATCH', '/v1/operator/chargers/CP_1', { body: { password: 'a-brand-new-password', tariffId: 'night' } });
      expect(res.status).toBe(200);
      expect(res.json.tariff).toMatchObject({ id: 'night', ratePerKwh: '0.18' });
      const { rows } = await api.db.pool.query(`SELECT password_hash FROM chargers WHERE id = 'CP_1'`);
      expect(await verifyPassword('a-brand-new-password', rows[0].password_hash)).toBe(true);
      expect((await api.call('PATCH', '/v1/operator/chargers/CP_1', { body: { tariffId: 'ghost' } })).status).toBe(404);
      expect((await api.call('PATCH', '/v1/operator/chargers/CP_404', { body: { tariffId: null } })).status).toBe(404);
    });

    it('refuses to remove a charger with an active session, and removes it once the session ended', async () => {
      await api.call('POST', '/v1/operator/chargers', { body: { stationId: 'CP_GONE', password: 'password-password-1' } });
      await api.db.pool.query(`INSERT INTO sessions (id, station_id, connector_id, origin, status) VALUES ('sess_busy', 'CP_GONE', 1, 'app', 'charging')`);
      const refused = await api.call('DELETE', '/v1/operator/chargers/CP_GONE');
      expect(refused.status).toBe(409);
      expect(refused.json.error.message).toContain('sess_busy');
      await api.db.pool.query(`UPDATE sessions SET active = FALSE, status = 'completed' WHERE id = 'sess_busy'`);
      expect((await api.call('DELETE', '/v1/operator/chargers/CP_GONE')).status).toBe(204);
      expect((await api.call('GET', '/v1/stations/CP_GONE')).status).toBe(404);
      expect((await api.call('DELETE', '/v1/operator/chargers/CP_GONE')).status).toBe(404);
    });
  });

  describe('drivers', () => {
    it('creates a driver with id tags and shows the token once, not cached', async () => {
      const res = await api.call('POST', '/v1/operator/drivers', { body: { driverId: 'alice', name: 'Alice', idTags: ['ALICE0001', 'ALICE0002'] } });
      expect(res.status).toBe(201);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.json.token).toMatch(/^csms_[A-Za-z0-9_-]{43}$/);
      expect(res.json.driver).toMatchObject({ driverId: 'alice', idTags: [{ idTag: 'ALICE0001', status: 'Accepted' }, { idTag: 'ALICE0002' }] });
      const read = await api.call('GET', '/v1/operator/drivers/alice');
      expect(read.json).not.toHaveProperty('token');
      expect((await api.call('GET', '/v1/stations', { token: res.json.token })).status).toBe(200);
    });

    it('refuses an id tag that already belongs to another driver, creating nothing', async () => {
      const res = await api.call('POST', '/v1/operator/drivers', { body: { driverId: 'bob', name: 'Bob', idTags: ['BOB0001', 'ALICE0001'] } });
      expect(res.status).toBe(409);
      expect((await api.call('GET', '/v1/operator/drivers/bob')).status).toBe(404);
      const { rows } = await api.db.pool.query(`SELECT id_tag FROM id_tags WHERE id_tag = 'BOB0001'`);
      expect(rows).toHaveLength(0);
    });

    it('treats id tags that differ only in case as the same tag (OCPP 1.6 CiString20), keeping the registered spelling', async () => {
      const clash = await api.call('POST', '/v1/operator/drivers', { body: { driverId: 'erin', name: 'Erin', idTags: ['alice0001'] } });
      expect(clash.status).toBe(409);
      expect((await api.call('GET', '/v1/operator/drivers/erin')).status).toBe(404);
      expect((await api.call('POST', '/v1/operator/drivers/alice/id-tags', { body: { idTag: 'Alice0002' } })).status).toBe(409);
      const { rows } = await api.db.pool.query(`SELECT id_tag FROM id_tags WHERE lower(id_tag) IN ('alice0001', 'alice0002') ORDER BY id_tag`);
      expect(rows).toEqual([{ id_tag: 'ALICE0001' }, { id_tag: 'ALICE0002' }]);
      expect((await api.call('POST', '/v1/operator/drivers/alice/id-tags', { body: { idTag: 'CaseTag1' } })).status).toBe(201);
      expect((await api.call('DELETE', '/v1/operator/drivers/alice/id-tags/casetag1')).status).toBe(204);
    });

    it('refuses an id tag longer than OCPP allows and a driver without tags', async () => {
      const res = await api.call('POST', '/v1/operator/drivers', { body: { driverId: 'carol', name: 'Carol', idTags: ['X'.repeat(21)] } });
      expect(res.json.error.details[0].field).toBe('body.idTags.0');
      const none = await api.call('POST', '/v1/operator/drivers', { body: { driverId: 'carol', name: 'Carol', idTags: [] } });
      expect(none.json.error.details[0].field).toBe('body.idTags');
    });

    it('adds and removes id tags', async () => {
      const added = await api.call('POST', '/v1/operator/drivers/alice/id-tags', { body: { idTag: 'ALICE0003' } });
      expect(added.status).toBe(201);
      expect(added.json.idTags.map((t: { idTag: string }) => t.idTag)).toEqual(['ALICE0001', 'ALICE0002', 'ALICE0003']);
      expect((await api.call('POST', '/v1/operator/drivers/alice/id-tags', { body: { idTag: 'ALICE0003' } })).status).toBe(409);
      expect((await api.call('POST', '/v1/operator/drivers/nobody/id-tags', { body: { idTag: 'NEW1' } })).status).toBe(404);
      expect((await api.call('DELETE', '/v1/operator/drivers/alice/id-tags/ALICE0003')).status).toBe(204);
      expect((await api.call('DELETE', '/v1/operator/drivers/alice/id-tags/ALICE0003')).status).toBe(404);
    });

    it('issues a new token and can revoke the old ones', async () => {
      const first = await api.createDriver('dave', ['DAVE0001']);
      const second = await api.call('POST', '/v1/operator/drivers/dave/tokens', { body: { revokeExisting: true } });
      expect(second.status).toBe(201);
      expect(second.json.revoked).toBe(1);
      expect((await api.call('GET', '/v1/stations', { token: first })).status).toBe(401);
      expect((await api.call('GET', '/v1/stations', { token: second.json.token })).status).toBe(200);
      expect((await api.call('POST', '/v1/operator/drivers/nobody/tokens')).status).toBe(404);
    });

    it('lists drivers, and removing one frees their id tags', async () => {
      const list = await api.call('GET', '/v1/operator/drivers');
      expect(list.json.drivers.map((d: { driverId: string }) => d.driverId)).toEqual(['alice', 'dave']);
      expect((await api.call('DELETE', '/v1/operator/drivers/dave')).status).toBe(204);
      const { rows } = await api.db.pool.query(`SELECT 1 FROM id_tags WHERE id_tag = 'DAVE0001'`);
      expect(rows).toHaveLength(0);
      expect((await api.call('DELETE', '/v1/operator/drivers/dave')).status).toBe(404);
    });
  });
});
