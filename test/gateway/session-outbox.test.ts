/**
 * The session outbox as the group-commit writer fills it: frames written in one statement, for
 * several transactions (and one claiming another station's), each get the id of their own entry,
 * so the forwarder can deliver what it holds without reading it back.
 */
import { PgTransactionLedger } from '../../src/gateway/storage/pg-transactions';
import { createGatewayHarness, type GatewayHarness } from './support/gateway-harness';

describe('session outbox entries written with the samples', () => {
  let h: GatewayHarness;
  let gateway: Awaited<ReturnType<GatewayHarness['start']>>;

  beforeAll(async () => {
    h = await createGatewayHarness();
    gateway = await h.start();
    await h.addIdTag('OUTBOX_TAG');
  });
  afterAll(() => h.close());

  it('gives each frame of a batch the id of its own entry, and writes none for a transaction that is not the station’s', async () => {
    const transactions: { stationId: string; transactionId: number }[] = [];
    for (const stationId of ['CP_OUTBOX_A', 'CP_OUTBOX_B', 'CP_OUTBOX_C']) {
      await h.addCharger(stationId);
      const cp = h.chargePoint({ chargePointId: stationId });
      await cp.connect();
      transactions.push({ stationId, transactionId: (await cp.startTransaction(1, 'OUTBOX_TAG')).transactionId });
    }
    // The gateway's own forwarder would deliver (and delete) the entries under test: it goes first.
    await gateway.close();
    await h.db.pool.query('DELETE FROM session_outbox');
    const ledger = new PgTransactionLedger(h.db.pool);
    // 30 frames at once: they queue behind the writer's statements in flight and go several to a statement.
    const frames = Array.from({ length: 30 }, (_, i) => ({ ...transactions[i % 3], energyWh: String(1000 + i) }));
    const foreign = { stationId: 'CP_OUTBOX_A', transactionId: transactions[1].transactionId, energyWh: '999999' };
    const recorded = await Promise.all(
      [...frames, foreign].map((f) =>
        ledger.recordMeterValues(
          f.stationId,
          1,
          f.transactionId,
          [{ timestamp: new Date().toISOString(), samples: [{ measurand: 'Energy.Active.Import.Register', unit: 'Wh', context: 'Sample.Periodic', format: 'Raw', value: f.energyWh }] }],
          [{ timestamp: new Date().toISOString(), energyWh: f.energyWh }],
        ),
      ),
    );
    expect(recorded.at(-1)).toBeNull(); // not CP_OUTBOX_A's transaction: no entry
    const { rows } = await h.db.pool.query<{ id: string; event: { transactionId: number; readings: { energyWh: string }[] } }>('SELECT id, event FROM session_outbox');
    expect(rows).toHaveLength(30);
    const byId = new Map(rows.map((r) => [Number(r.id), r.event]));
    frames.forEach((f, i) => {
      const entry = recorded[i]!.outboxEntry!;
      expect(byId.get(entry.id)).toMatchObject({ transactionId: f.transactionId, readings: [{ energyWh: f.energyWh }] });
      expect(entry.event).toMatchObject({ sessionId: entry.sessionId, transactionId: f.transactionId, readings: [{ energyWh: f.energyWh }] });
    });
  });
});
