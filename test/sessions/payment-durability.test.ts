/**
 * Exactly one capture when the worker dies mid-capture: the production worker role in its own
 * process, on the real Temporal dev server, talks to localstripe through a pass-through HTTP relay
 * that delivers the capture to the emulator and holds back its answer; the worker is killed with
 * SIGKILL right then. The next worker process retries the step and finds the capture done.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Client } from '@temporalio/client';
import { PaymentService } from '../../src/payments/payment-service';
import { StripePaymentProvider } from '../../src/payments/stripe-provider';
import { projectRoot } from '../../src/paths';
import type { Receipt, SessionState } from '../../workflows/session-messages';
import { createDevServerEnv, type TemporalTestEnv } from '../support/temporal';
import { createCard, startTestStripe, type TestStripe } from '../support/stripe';
import { createSessionWorld, stationId, type SessionWorld } from './support/session-harness';

jest.setTimeout(180_000);

let stripe: TestStripe;
let env: TemporalTestEnv & { address: string };
let world: SessionWorld;
let relay: http.Server;
/** Resolves when a capture has reached the emulator (its answer held back). */
let captureDelivered: (() => void) | null = null;
let holdCaptureAnswers = true;

/** Forwards every request to localstripe; a capture's answer is held back while holdCaptureAnswers. */
function startRelay(target: number): Promise<number> {
  relay = http.createServer((req, res) => {
    const upstream = http.request({ host: '127.0.0.1', port: target, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      if (holdCaptureAnswers && req.method === 'POST' && /\/v1\/payment_intents\/[^/]+\/capture$/.test(req.url ?? '')) {
        answer.resume();
        captureDelivered?.();
        return; // the worker never hears back
      }
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  return new Promise((resolve) => relay.listen(0, '127.0.0.1', () => resolve((relay.address() as AddressInfo).port)));
}

beforeAll(async () => {
  stripe = await startTestStripe();
  env = await createDevServerEnv();
  world = await createSessionWorld(
    { client: new Client({ connection: env.connection }), nativeConnection: env.nativeConnection, namespace: 'default', teardown: async () => undefined },
    { payments: stripe.provider },
  );
});
afterAll(async () => {
  await world?.close();
  await env?.teardown();
  await stripe?.stop();
  await new Promise((r) => (relay ? relay.close(r) : r(undefined)));
});

function startWorkerProcess(stripePort: number): { child: ChildProcess; output: () => string } {
  let output = '';
  const child = spawn(process.execPath, ['-r', path.join(projectRoot, 'bench/register.js'), path.join(projectRoot, 'src/main/worker.ts')], {
    cwd: projectRoot,
    env: {
      ...process.env,
      DATABASE_URL: world.db.url,
      TEMPORAL_ADDRESS: env.address,
      TEMPORAL_NAMESPACE: 'default',
      TEMPORAL_TASK_QUEUE: world.config.TEMPORAL_TASK_QUEUE,
      ...stripe.env,
      STRIPE_API_PORT: String(stripePort),
      LOG_LEVEL: 'warn',
      LOG_FORMAT: 'json',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  return { child, output: () => output };
}

async function stateWhere(sessionId: string, ok: (s: SessionState) => boolean, timeoutMs = 90_000): Promise<SessionState> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; ) {
    const state = await world.sessions.getState(sessionId).catch(() => null);
    if (state && ok(state)) return state;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`session ${sessionId} never reached the expected state`);
}

const now = () => new Date().toISOString();

test('the worker killed (SIGKILL) between sending the capture and hearing its answer: the card is charged once, exactly the bill', async () => {
  const relayPort = await startRelay(stripe.emulator.port);
  await world.db.pool.query(`INSERT INTO drivers (id, name, payment_mode) VALUES ('kill', 'kill', 'card')`);
  await new PaymentService({ pool: world.db.pool, provider: new StripePaymentProvider(stripe.emulator.connection) }).savePaymentMethod('kill', await createCard(stripe.sdk));
  let worker = startWorkerProcess(relayPort);
  const exited = (w: typeof worker) => new Promise<NodeJS.Signals | number | null>((resolve) => w.child.once('exit', (code, signal) => resolve(signal ?? code)));
  try {
    const sessionId = await world.run(
      async () => {
        const { sessionId, outcome } = await world.sessions.startSession({ stationId, connectorId: 1, driverId: 'kill', idTag: 'TAG-K', waitMs: 90_000 });
        expect(outcome).toMatchObject({ accepted: true, status: 'awaiting_plug_in' });
        await world.events.transactionStarted({ sessionId, stationInitiated: false, stationId, connectorId: 1, transactionId: 61, idTag: 'TAG-K', driverId: 'kill', meterStartWh: 154200, timestamp: now() });
        await stateWhere(sessionId, (s) => s.status === 'charging');

        const delivered = new Promise<void>((resolve) => (captureDelivered = resolve));
        await world.events.transactionStopped({ sessionId, stationId, transactionId: 61, meterStopWh: 156700, timestamp: now(), reason: 'EVDisconnected' });
        await delivered;
        // The capture has happened at the provider; the worker that sent it dies before it hears so.
        const killed = exited(worker);
        worker.child.kill('SIGKILL');
        expect(await killed).toBe('SIGKILL');
        holdCaptureAnswers = false;
        worker = startWorkerProcess(relayPort);
        return sessionId;
      },
      { sessionWorker: false, keepSessionsRunning: true },
    );
    // The capture activity times out (30 s) and runs again on the new worker.
    const receipt = (await world.env.client.workflow.getHandle(sessionId).result()) as Receipt;
    expect(receipt).toMatchObject({ status: 'completed', total_cost_exact: '0.63' });
    expect(receipt.payment).toMatchObject({ status: 'captured', captured: '0.63', released: '49.37' });

    const intent = await stripe.sdk.paymentIntents.retrieve(receipt.payment!.reference!);
    expect(intent.status).toBe('succeeded');
    const chargeId = typeof intent.latest_charge === 'string' ? intent.latest_charge : intent.latest_charge!.id;
    const charge = await stripe.sdk.charges.retrieve(chargeId);
    const refunds = await stripe.sdk.refunds.list({ charge: chargeId });
    // One capture of 63: the released rest is the only refund on the charge.
    expect(refunds.data.map((r) => r.amount)).toEqual([5000 - 63]);
    expect(charge.amount - refunds.data[0].amount).toBe(63);
  } catch (err) {
    throw new Error(`${(err as Error).message}\n--- worker process output ---\n${worker.output().slice(-4000)}`);
  } finally {
    worker.child.kill('SIGTERM');
  }
});
