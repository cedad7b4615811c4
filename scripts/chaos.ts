/**
 * `npm run chaos`: charging sessions on the real stack (own PostgreSQL and Temporal dev server,
 * the production roles in a child process) while faults are injected at random — duplicated
 * and malformed frames, malformed API requests, dropped charger connections, and the whole stack
 * killed with SIGKILL and restarted mid-run. Every other charger speaks OCPP 2.0.1, the rest 1.6
 * (scripts/chaos-chargers.ts). Prints what was injected, sessions started / completed / lost (also
 * per protocol), and the money discrepancy against an independent recomputation from the stored
 * meter samples. Half the sessions are paid by card (the Stripe adapter on localstripe): for every
 * one, the captured amount must equal the receipt's total and no hold may be left.
 *
 *   npm run chaos -- [--sessions 24] [--chargers 6] [--seed 7] [--readings 6]
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import Big from 'big.js';
import { Pool } from 'pg';
import { startBenchInfrastructure } from '../bench/support/infrastructure';
import { freePort } from '../src/free-port';
import { startChild, type Child } from '../bench/support/children';
import { chaosOcppVersion, createChaosCharger, figuresByOcppVersion, type ChaosCharger, type ChaosOcppVersion } from './chaos-chargers';
import { roundToMinorUnit, toMinorUnits } from '../src/billing/money';
import Stripe from 'stripe';
import { startLocalstripe } from '../src/payments/localstripe';
import { hostileStrings, Prng } from '../src/simulator/prng';

const { values: args } = parseArgs({
  options: {
    sessions: { type: 'string', default: '24' },
    chargers: { type: 'string', default: '6' },
    readings: { type: 'string', default: '6' },
    seed: { type: 'string', default: '7' },
  },
});
const sessionsWanted = Number(args.sessions);
const chargerCount = Math.min(Number(args.chargers), sessionsWanted);
const readingsPerSession = Number(args.readings);

const prng = new Prng(Number(args.seed));
const chance = (p: number) => prng.bool(p);
const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

const operatorToken = 'chaos-operator-token-0123456789';
const ratePerKwh = '0.25';
const counts = { duplicateFrames: 0, malformedFrames: 0, malformedRequests: 0, droppedConnections: 0, stackKills: 0, httpRetries: 0 };
/** Answers to malformed requests that were not 4xx (must stay empty). */
const badAnswers: string[] = [];

async function main(): Promise<void> {
  const started = Date.now();
  // Always its own servers: the run SIGKILLs and restarts the stack on them.
  const infra = await startBenchInfrastructure({ TEMPORAL_NAMESPACE: 'default' });
  const ports = { api: await freePort(), gateway: await freePort() };
  // Card payments go to localstripe, which outlives the stack's kills as a provider would.
  const emulator = await startLocalstripe();
  const sdk = new Stripe(emulator.connection.secretKey, { host: emulator.connection.host, port: emulator.connection.port, protocol: 'http' });
  const startStack = () =>
    startChild<{ apiUrl: string; gatewayUrl: string }>(path.join(__dirname, '..', 'bench', `stack-process${path.extname(__filename)}`), {
      env: {
        DATABASE_URL: infra.databaseUrl,
        TEMPORAL_ADDRESS: infra.temporalAddress,
        TEMPORAL_TASK_QUEUE: 'chaos-sessions',
        GATEWAY_ID: 'chaos-gw',
        API_HOST: '127.0.0.1',
        API_PORT: String(ports.api),
        GATEWAY_HOST: '127.0.0.1',
        GATEWAY_PORT: String(ports.gateway),
        OPERATOR_TOKEN: operatorToken,
        SESSION_OFFLINE_GRACE_MS: '120000',
        STRIPE_SECRET_KEY: emulator.connection.secretKey,
        STRIPE_API_HOST: emulator.connection.host,
        STRIPE_API_PORT: String(emulator.connection.port),
        STRIPE_API_PROTOCOL: 'http',
        LOG_LEVEL: 'fatal',
        NODE_ENV: 'production',
      },
      readyTimeoutMs: 120_000,
    });
  let stack: Child<{ apiUrl: string; gatewayUrl: string }> = await startStack();
  const apiUrl = stack.ready.apiUrl;
  const pool = new Pool({ connectionString: infra.databaseUrl });
  const chargers: ChaosCharger[] = [];

  /** HTTP that rides out a restarting stack (up to 2 minutes): connection errors and 503s (station offline until it reconnects) are retried. */
  async function api(method: string, route: string, token: string, body?: unknown, options = { retryOffline: true }): Promise<{ status: number; json: any }> {
    for (let attempt = 0; ; attempt++) {
      try {
        const res = await fetch(`${apiUrl}${route}`, {
          method,
          headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
          body: body ? JSON.stringify(body) : undefined,
        });
        if (res.status === 503 && options.retryOffline && attempt < 240) throw new Error('503');
        return { status: res.status, json: await res.json().catch(() => null) };
      } catch (err) {
        if (attempt >= 240) throw err;
        counts.httpRetries++;
        await delay(500);
      }
    }
  }

  try {
    await api('POST', '/v1/operator/tariffs', operatorToken, { id: 'chaos', name: 'Chaos', currency: 'EUR', ratePerKwh, isDefault: true });
    const driver = await api('POST', '/v1/operator/drivers', operatorToken, { driverId: 'chaos-driver', name: 'Chaos', idTags: ['CHAOS0001'] });
    const accountToken: string = driver.json.token;
    // The card driver: payment mode card, a Visa saved as their app would (a PaymentMethod made with the SDK).
    const cardDriver = await api('POST', '/v1/operator/drivers', operatorToken, { driverId: 'chaos-card', name: 'Chaos card', idTags: ['CHAOS0002'] });
    const cardToken: string = cardDriver.json.token;
    await api('PUT', '/v1/operator/drivers/chaos-card/payment-mode', operatorToken, { paymentMode: 'card' });
    const method = await sdk.paymentMethods.create({ type: 'card', card: { number: '4242424242424242', exp_month: 12, exp_year: 2030, cvc: '123' } } as Stripe.PaymentMethodCreateParams);
    const saved = await api('POST', '/v1/me/payment-methods', cardToken, { paymentMethodId: method.id });
    if (saved.status !== 201) throw new Error(`saving the chaos card: ${saved.status} ${JSON.stringify(saved.json)}`);
    /** Hostile requests come from the account driver. */
    const token = accountToken;
    for (let i = 1; i <= chargerCount; i++) {
      const password = `chaos-charger-pass-${i}`;
      await api('POST', '/v1/operator/chargers', operatorToken, { stationId: `CHAOS_${i}`, password, connectors: 1 });
      // reconnect: ocpp-rpc reconnects by itself after a drop or a dead gateway; queued transaction messages flush then.
      const cp = createChaosCharger(chaosOcppVersion(i), { url: `ws://127.0.0.1:${ports.gateway}/ocpp`, stationId: `CHAOS_${i}`, password, meterStartWh: 1000 * i });
      await cp.connect();
      chargers.push(cp);
    }

    /**
     * A path segment for any string: encodeURIComponent, but a lone surrogate (which it refuses)
     * goes as its WTF-8 bytes, an invalid UTF-8 sequence the API must refuse like any other bad id.
     */
    const segment = (text: string): string => {
      let out = '';
      for (const ch of text) {
        const unit = ch.charCodeAt(0);
        const lone = ch.length === 1 && unit >= 0xd800 && unit <= 0xdfff; // for…of yields a lone surrogate on its own
        out += lone ? [0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f)].map((b) => `%${b.toString(16).toUpperCase()}`).join('') : encodeURIComponent(ch);
      }
      return out;
    };

    /** A request the API must refuse with a 4xx JSON error, never a 5xx: bad bodies, ids, tokens and paths. */
    async function hostileRequest(sessionId: string): Promise<void> {
      const junk = prng.pick(hostileStrings.filter((h) => h.trim() !== '')); // an empty id is another route
      const attempts: Array<() => Promise<{ status: number; json: any }>> = [
        () => api('POST', '/v1/sessions', token, { stationId: junk, connectorId: 1 }, { retryOffline: false }),
        () => api('POST', '/v1/sessions', token, { stationId: 'CHAOS_1', connectorId: prng.pick([-1, 0, 2 ** 31, 1.5]) }, { retryOffline: false }),
        () => api('GET', `/v1/sessions/${segment(junk)}`, token),
        () => api('POST', `/v1/sessions/${sessionId}/stop`, 'not-a-token-' + prng.int(0, 1e6)),
        () => api('GET', `/v1/sessions?limit=${segment(junk)}`, token),
        () => api('POST', '/v1/operator/tariffs', token, { id: junk, ratePerKwh: '-1' }),
      ];
      counts.malformedRequests++;
      const res = await prng.pick(attempts)();
      if (res.status < 400 || res.status >= 500 || typeof res.json?.error?.message !== 'string') badAnswers.push(`${res.status} ${JSON.stringify(res.json)?.slice(0, 200)}`);
    }

    const sessionIds: string[] = [];
    const versionOfSession = new Map<string, ChaosOcppVersion>();
    let startedCount = 0;
    const killAfter = Math.max(1, Math.floor(sessionsWanted / 3));

    async function oneSession(cp: ChaosCharger, stationId: string, token: string): Promise<void> {
      let start = await api('POST', '/v1/sessions', token, { stationId, connectorId: 1 }, { retryOffline: false });
      // A charger whose own reconnect was cut short by the dead gateway dials again, as firmware does.
      for (let i = 0; i < 30 && start.status === 503; i++) {
        await cp.reconnect().catch(() => undefined);
        await delay(1000);
        start = await api('POST', '/v1/sessions', token, { stationId, connectorId: 1 }, { retryOffline: false });
      }
      // A start whose answer the kill cut off (the request was sent again) may have started the
      // session: the retry is told connector_busy, and the app finds its session in its history.
      if (start.status === 409 && start.json?.error?.code === 'connector_busy') {
        const mine = await api('GET', '/v1/sessions?limit=50', token);
        const active = (mine.json?.sessions ?? []).find((s: { stationId: string; active: boolean }) => s.stationId === stationId && s.active);
        if (active) start = { status: 202, json: { sessionId: active.sessionId } };
      }
      // 202: accepted for follow-up, the charger has not confirmed yet (e.g. it is reconnecting).
      if (start.status !== 201 && start.status !== 202) throw new Error(`start on ${stationId}: ${start.status} ${JSON.stringify(start.json)}`);
      const id: string = start.json.sessionId;
      sessionIds.push(id);
      versionOfSession.set(id, cp.ocppVersion);
      startedCount++;
      for (let i = 0; i < 200 && cp.transactionId(1) === undefined; i++) await delay(50);
      for (let r = 0; r < readingsPerSession; r++) {
        cp.setMeterRegister(1, cp.meterRegisterWh(1).plus(prng.int(1, 2000)).toNumber());
        await cp.sendMeterValues(1).catch(() => undefined);
        if (chance(0.3)) {
          counts.duplicateFrames++;
          await cp.sendMeterValues(1).catch(() => undefined);
        }
        if (chance(0.15)) {
          counts.malformedFrames++;
          cp.sendRaw(chance(0.5) ? '[2,"x"' : JSON.stringify([2, `junk-${r}`, 'MeterValues', { connectorId: 'one' }]));
        }
        if (chance(0.3)) await hostileRequest(id);
        if (chance(0.1)) {
          counts.droppedConnections++;
          cp.dropConnection();
          await delay(200);
          await cp.reconnect().catch(() => undefined);
        }
      }
      if (chance(0.5)) {
        await api('POST', `/v1/sessions/${id}/stop`, token);
      } else {
        await cp.stopTransaction(1, 'EVDisconnected').catch(() => undefined);
      }
      await cp.drained().catch(() => undefined);
      // The connector is free again only once the session has ended (billed).
      for (let i = 0; i < 600; i++) {
        const state = await api('GET', `/v1/sessions/${id}`, token);
        if (['completed', 'failed', 'interrupted'].includes(state.json?.status)) return;
        await delay(200);
      }
    }

    // Each charger runs its sessions one after another; chargers run side by side.
    const perCharger = chargers.map((cp, i) =>
      (async () => {
        for (let n = i; n < sessionsWanted; n += chargerCount) await oneSession(cp, `CHAOS_${i + 1}`, n % 2 === 0 ? cardToken : accountToken);
      })(),
    );
    // The stack is killed without warning once a third of the sessions have started, then started again.
    const killer = (async () => {
      while (startedCount < killAfter) await delay(100);
      await delay(300);
      stack.process.kill('SIGKILL');
      counts.stackKills++;
      await new Promise((r) => stack.process.once('exit', r));
      stack = await startStack();
    })();
    await Promise.all([...perCharger, killer]);

    // Every session must end with a receipt; the money must match the stored transactions.
    const deadline = Date.now() + 180_000;
    const receipts = new Map<string, any>();
    while (receipts.size < sessionIds.length && Date.now() < deadline) {
      for (const id of sessionIds) {
        if (receipts.has(id)) continue;
        const res = await api('GET', `/v1/sessions/${id}/receipt`, operatorToken);
        if (res.status === 200) receipts.set(id, res.json);
      }
      if (receipts.size < sessionIds.length) await delay(1000);
    }
    let discrepancy = new Big(0);
    let mismatched = 0;
    /** Per checked session: whether its receipt matches the stored samples. */
    const matchesSamples = new Map<string, boolean>();
    let flagged = 0;
    let checked = 0;
    // Independently of the workflow: the last energy register the charger reported for the transaction
    // (MeterValues, or the Transaction.End sample of StopTransaction's transactionData), as stored.
    for (const [id, receipt] of receipts) {
      const { rows } = await pool.query(
        `SELECT t.meter_start::text,
                (SELECT s.value FROM meter_samples s
                  WHERE s.transaction_id = t.id AND s.station_id = t.station_id AND s.measurand = 'Energy.Active.Import.Register'
                  ORDER BY s.timestamp DESC, s.id DESC LIMIT 1) AS last_register
           FROM transactions t WHERE t.session_id = $1`,
        [id],
      );
      if (receipt.flags.length) flagged++;
      if (!rows[0] || rows[0].last_register === null || !['completed', 'interrupted'].includes(receipt.status)) continue;
      checked++;
      const expected = roundToMinorUnit(new Big(rows[0].last_register).minus(rows[0].meter_start).div(1000).times(ratePerKwh), 'EUR');
      const diff = new Big(receipt.total_cost_exact).minus(expected).abs();
      if (diff.gt(0)) mismatched++;
      matchesSamples.set(id, diff.eq(0));
      discrepancy = discrepancy.plus(diff);
    }
    // Card sessions: once the capture or release is done, captured = the receipt's total (at most the hold) and nothing stays held.
    const paymentProblems: string[] = [];
    let paidSessions = 0;
    const payments = async () =>
      (await pool.query<{ session_id: string; status: string; captured_minor: number; authorized_minor: number; reference: string | null }>(
        'SELECT session_id, status, captured_minor::int, authorized_minor::int, reference FROM session_payments',
      )).rows;
    for (let i = 0; i < 120 && (await payments()).some((p) => p.status === 'authorized' && receipts.has(p.session_id)); i++) await delay(500);
    for (const p of await payments()) {
      const receipt = receipts.get(p.session_id);
      if (!receipt) continue;
      paidSessions++;
      const bill = receipt.status === 'failed' ? 0 : toMinorUnits(receipt.total_cost_exact, receipt.currency);
      const captured = p.status === 'captured' ? p.captured_minor : 0;
      if (p.status === 'authorized') paymentProblems.push(`${p.session_id}: still on hold`);
      else if (p.status !== 'declined' && captured !== Math.min(bill, p.authorized_minor)) paymentProblems.push(`${p.session_id}: captured ${captured}, bill ${bill}`);
      if (p.reference && (await sdk.paymentIntents.retrieve(p.reference)).status === 'requires_capture') paymentProblems.push(`${p.session_id}: on hold at the provider`);
    }
    const statuses = [...receipts.values()].reduce<Record<string, number>>((acc, r) => ((acc[r.status] = (acc[r.status] ?? 0) + 1), acc), {});
    const figures = {
      seed: Number(args.seed),
      faults: counts,
      sessionsStarted: sessionIds.length,
      sessionsWithReceipt: receipts.size,
      byStatus: statuses,
      sessionsLost: sessionIds.length - receipts.size,
      receiptsFlagged: flagged,
      receiptsCheckedAgainstStoredSamples: checked,
      receiptsNotMatchingStoredSamples: mismatched,
      malformedRequestsNotAnswered4xx: badAnswers,
      moneyDiscrepancyEur: discrepancy.toFixed(2),
      paidSessions,
      paymentsNotMatchingReceiptOrLeftOnHold: paymentProblems,
      byOcppVersion: figuresByOcppVersion(chargers, versionOfSession, receipts, matchesSamples),
      // As the gateway negotiated and stored it, to check the split above against.
      chargersByStoredOcppVersion: (await pool.query('SELECT ocpp_version, count(*)::int AS chargers FROM chargers GROUP BY ocpp_version ORDER BY 1')).rows,
      seconds: Math.round((Date.now() - started) / 1000),
    };
    console.log(JSON.stringify(figures, null, 2));
    process.exitCode = figures.sessionsLost === 0 && mismatched === 0 && badAnswers.length === 0 && paymentProblems.length === 0 ? 0 : 1;
  } finally {
    for (const cp of chargers) await cp.close().catch(() => undefined);
    await pool.end();
    await stack.stop().catch(() => undefined);
    await infra.close();
    await emulator.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
