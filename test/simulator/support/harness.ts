/** Per-test CSMS and simulated charge points for the simulator's tests (closed after each test). */
import { SimulatedChargePoint, SimulatedChargePointOptions } from '../../../src/simulator/charge-point';
import { ReceivedCall, TestCsms } from './test-csms';

export interface SimulatorHarness {
  readonly csms: TestCsms;
  chargePoint(options?: Partial<SimulatedChargePointOptions>): SimulatedChargePoint;
  connected(options?: Partial<SimulatedChargePointOptions>): Promise<SimulatedChargePoint>;
  /** One charger's calls as short labels: `Status:<connector>:<status>`, `FW:<status>`, `Diag:<status>`, else the action. */
  labels(chargePointId: string, from?: number): string[];
  /** Waits for a call from one charger. */
  next(chargePointId: string, match: (c: ReceivedCall) => boolean, timeoutMs?: number, includePast?: boolean): Promise<ReceivedCall>;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function useSimulatorHarness(prefix: string): SimulatorHarness {
  let csms: TestCsms;
  const open: SimulatedChargePoint[] = [];
  let seq = 0;
  beforeEach(async () => {
    csms = await TestCsms.start();
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((cp) => cp.close()));
    // Every frame the simulator sent passed the server's strict OCPP 1.6 schema validation.
    expect(csms.validationFailures).toEqual([]);
    await csms.close();
  });
  const h: SimulatorHarness = {
    get csms() {
      return csms;
    },
    chargePoint(options = {}) {
      const cp = new SimulatedChargePoint({ url: csms.url, chargePointId: `${prefix}_${++seq}`, callTimeoutMs: 2000, transactionMessageRetryMs: 50, ...options });
      open.push(cp);
      return cp;
    },
    async connected(options = {}) {
      const cp = h.chargePoint(options);
      await cp.connect();
      return cp;
    },
    labels(chargePointId, from = 0) {
      return csms
        .received(chargePointId)
        .slice(from)
        .map((c) => {
          if (c.action === 'StatusNotification') return `Status:${c.params.connectorId}:${c.params.status}`;
          if (c.action === 'FirmwareStatusNotification') return `FW:${c.params.status}`;
          if (c.action === 'DiagnosticsStatusNotification') return `Diag:${c.params.status}`;
          return c.action;
        });
    },
    next(chargePointId, match, timeoutMs = 3000, includePast = false) {
      return csms.waitForCall((c) => c.chargePointId === chargePointId && match(c), timeoutMs, includePast);
    },
  };
  return h;
}
