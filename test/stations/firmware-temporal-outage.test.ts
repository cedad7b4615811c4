/**
 * Temporal unreachable from the gateway (a real TCP outage between them) during a firmware update:
 * the station's FirmwareStatusNotification is stored and answered, never refused, and the update
 * that could not be told ends on its timeout as a recorded outcome.
 */
import { startStack, type Stack } from '../reliability/support/stack';

const statusTimeoutMs = 10 * 60_000;

describe('firmware status while Temporal is unreachable from the gateway', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ name: 'firmware-outage', gatewayTemporalLink: true, env: { FIRMWARE_STATUS_TIMEOUT_MS: String(statusTimeoutMs) } });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('a FirmwareStatusNotification is stored and answered; the update that missed it ends timed_out', async () => {
    await stack.addCharger('CP_FWO');
    // The charger accepts UpdateFirmware and reports nothing by itself: the test speaks for it.
    const cp = await stack.connectCharger('CP_FWO', { firmware: { silentAt: { at: 'Downloading' } } });
    const sent = new Promise((resolve) => cp.once('updateFirmware', resolve));
    const res = await stack.api.call('POST', '/v1/operator/stations/CP_FWO/firmware-updates', { body: { location: 'https://firmware.example/acme-2.1.0.bin' } });
    await sent;
    await stack.eventually('sent recorded', async () => (await stack.api.call('GET', `/v1/operator/firmware-updates/${res.json.updateId}`)).json, (u) => u.status === 'sent');

    stack.temporalLink!.cut();
    const started = Date.now();
    await expect(cp.call('FirmwareStatusNotification', { status: 'Downloading' })).resolves.toEqual({}); // a CALLERROR would reject
    expect(Date.now() - started).toBeLessThan(10_000); // bounded by the signal deadline, far below the charger's call timeout
    const { rows } = await stack.db.pool.query('SELECT firmware_status FROM chargers WHERE id = $1', ['CP_FWO']);
    expect(rows[0].firmware_status).toBe('Downloading');
    stack.temporalLink!.restore();

    await stack.env.sleep(statusTimeoutMs + 60_000);
    const done = await stack.eventually('the update ends', async () => (await stack.api.call('GET', `/v1/operator/firmware-updates/${res.json.updateId}`)).json, (u) => u.outcome !== null);
    expect(done).toMatchObject({ outcome: 'timed_out', detail: 'no FirmwareStatusNotification for 10 min (last: sent)' });
  });
});
