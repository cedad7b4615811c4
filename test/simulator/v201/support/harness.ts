/** Per-test 2.0.1 CSMS stand-in and simulated stations (closed after each test). */
import { SimulatedChargingStation201, SimulatedChargingStation201Options } from '../../../../src/simulator/v201/charging-station';
import { ReceivedCall, TestCsms201 } from './test-csms201';

export interface StationHarness {
  readonly csms: TestCsms201;
  station(options?: Partial<SimulatedChargingStation201Options>): SimulatedChargingStation201;
  connected(options?: Partial<SimulatedChargingStation201Options>): Promise<SimulatedChargingStation201>;
  /** Short labels of one station's calls: `Status:<evse>:<status>`, `TE:<eventType>:<seqNo>`, else the action. */
  labels(stationId: string, from?: number): string[];
  next(stationId: string, match: (c: ReceivedCall) => boolean, timeoutMs?: number, includePast?: boolean): Promise<ReceivedCall>;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function useStationHarness(prefix: string): StationHarness {
  let csms: TestCsms201;
  const open: SimulatedChargingStation201[] = [];
  let seq = 0;
  beforeEach(async () => {
    csms = await TestCsms201.start();
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
    // Every frame the simulator sent passed the stand-in's strict OCPP 2.0.1 schema validation.
    expect(csms.validationFailures).toEqual([]);
    await csms.close();
  });
  const h: StationHarness = {
    get csms() {
      return csms;
    },
    station(options = {}) {
      const s = new SimulatedChargingStation201({ url: csms.url, stationId: `${prefix}_${++seq}`, callTimeoutMs: 2000, transactionMessageRetryMs: 50, ...options });
      open.push(s);
      return s;
    },
    async connected(options = {}) {
      const s = h.station(options);
      await s.connect();
      return s;
    },
    labels(stationId, from = 0) {
      return csms
        .received(stationId)
        .slice(from)
        .map((c) => {
          if (c.action === 'StatusNotification') return `Status:${c.params.evseId}:${c.params.connectorStatus}`;
          if (c.action === 'TransactionEvent') return `TE:${c.params.eventType}:${c.params.seqNo}`;
          return c.action;
        });
    },
    next(stationId, match, timeoutMs = 3000, includePast = false) {
      return csms.waitForCall((c) => c.stationId === stationId && match(c), timeoutMs, includePast);
    },
  };
  return h;
}
