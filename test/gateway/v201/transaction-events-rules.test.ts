/** The rules that read a 2.0.1 transaction's events into the ledger's start and stop (src/gateway/rules/transaction-events-201.ts), whatever their order. */
import { chargingStatusChange, foldEvent, ledgerStart, ledgerStop, wholeWh, type Transaction201State, type TransactionEventFacts } from '../../../src/gateway/rules/transaction-events-201';

const at = (minute: number) => `2026-03-01T10:${String(minute).padStart(2, '0')}:00.000Z`;
const reg = (wh: string, minute: number, context = 'Sample.Periodic') => ({ wh, at: at(minute), context });

const started: TransactionEventFacts = { eventType: 'Started', seqNo: 0, timestamp: at(0), evseId: 2, idToken: 'ALICE', registers: [reg('154200', 0, 'Transaction.Begin')] };
const updated: TransactionEventFacts = { eventType: 'Updated', seqNo: 1, timestamp: at(15), registers: [reg('155450', 15)] };
const ended: TransactionEventFacts = { eventType: 'Ended', seqNo: 2, timestamp: at(30), stoppedReason: 'EVDisconnected', registers: [reg('156700.9', 30, 'Transaction.End')] };

const fold = (...events: TransactionEventFacts[]): Transaction201State => events.reduce(foldEvent, {});

describe('2.0.1 transaction event rules', () => {
  it('reads the same start and stop from the events in any order', () => {
    const inOrder = fold(started, updated, ended);
    for (const order of [[ended, updated, started], [updated, ended, started], [started, ended, updated]]) {
      const state = fold(...order);
      expect(ledgerStart(state, null)).toEqual(ledgerStart(inOrder, null));
      expect(ledgerStop(state, 154200)).toEqual(ledgerStop(inOrder, 154200));
    }
    expect(ledgerStart(inOrder, null)).toEqual({ start: { connectorId: 2, idTag: 'ALICE', meterStartWh: 154200, timestamp: at(0) } });
    expect(ledgerStop(inOrder, 154200)).toEqual({ meterStopWh: 156700, timestamp: at(30), reason: 'EVDisconnected' });
  });

  it('folding an event twice changes nothing', () => {
    expect(fold(started, updated, updated, ended, ended)).toEqual(fold(started, updated, ended));
  });

  it('waits for the id token, then for an energy register, before the ledger start', () => {
    const plugged = fold({ ...started, idToken: undefined, registers: [] });
    expect(ledgerStart(plugged, null)).toEqual({ wait: 'no id token yet (authorization follows)' });
    expect(ledgerStart(foldEvent(plugged, { ...updated, idToken: 'ALICE', registers: [] }), null)).toEqual({ wait: 'no energy register yet' });
    expect(ledgerStart(foldEvent(plugged, { ...updated, idToken: 'ALICE' }), null)).toMatchObject({ start: { meterStartWh: 155450, timestamp: at(0) } });
  });

  it('prefers Transaction.Begin to an earlier periodic sample, and the earliest sample when there is no Begin', () => {
    const early = { ...updated, seqNo: 3, registers: [reg('150000', 0)] };
    expect(ledgerStart(fold(early, started), null)).toMatchObject({ start: { meterStartWh: 154200 } });
    expect(ledgerStart(fold(updated, { ...early, idToken: 'ALICE' }), null)).toMatchObject({ start: { meterStartWh: 150000, timestamp: at(0) } });
  });

  it("lets a remote start's EVSE and id token stand in for what the events lack", () => {
    const state = fold({ ...started, evseId: undefined, idToken: undefined, remoteStartId: 7 });
    expect(state.remoteStartId).toBe(7);
    expect(ledgerStart(state, { evseId: 3, idToken: 'BOB' })).toMatchObject({ start: { connectorId: 3, idTag: 'BOB' } });
  });

  it('settles an Ended: a lost Started from its meter data, the stop register as start without any other, never-authorized only with energy', () => {
    expect(ledgerStart(fold(ended), null)).toEqual({ never: 'ended never authorized, without energy' });
    expect(ledgerStart(fold({ ...ended, idToken: 'ALICE' }), null)).toEqual({ start: { connectorId: 1, idTag: 'ALICE', meterStartWh: 156700, timestamp: at(30) } });
    const unauthorized = fold({ ...started, idToken: undefined }, ended);
    expect(ledgerStart(unauthorized, null)).toMatchObject({ start: { idTag: '', meterStartWh: 154200 } });
    expect(ledgerStart(fold({ ...started, idToken: undefined }, { ...ended, registers: [reg('154200', 30, 'Transaction.End')] }), null)).toEqual({ never: 'ended never authorized, without energy' });
    expect(ledgerStart(fold({ ...ended, registers: [] }), null)).toEqual({ never: 'ended without any energy register' });
  });

  it('stops at the latest register without a Transaction.End, and says Local when the station gives no reason', () => {
    expect(ledgerStop(fold(started, updated, { ...ended, stoppedReason: undefined, registers: [] }), 154200)).toEqual({ meterStopWh: 155450, timestamp: at(30), reason: 'Local' });
  });

  it('reads a change of chargingState by seqNo: a late event changes nothing, EVConnected is the end of charging only after Charging', () => {
    const charging = fold({ ...started, chargingState: 'EVConnected' }, { ...updated, seqNo: 2, chargingState: 'Charging' });
    expect(chargingStatusChange(fold({ ...started, chargingState: 'EVConnected' }), { ...updated, chargingState: 'EVConnected' })).toBeUndefined();
    expect(chargingStatusChange(charging, { ...updated, seqNo: 1, chargingState: 'SuspendedEV' })).toBeUndefined();
    expect(chargingStatusChange(charging, { ...updated, seqNo: 3, chargingState: 'Charging' })).toBeUndefined();
    expect(chargingStatusChange(charging, { ...updated, seqNo: 3, chargingState: 'EVConnected' })).toBe('SuspendedEV');
    expect(chargingStatusChange(charging, { ...updated, seqNo: 3, chargingState: 'SuspendedEVSE' })).toBeUndefined();
  });

  it('counts whole Wh, truncating: a part of a Wh is not billed yet', () => {
    expect([wholeWh('156700.9'), wholeWh('156700'), wholeWh('0.4'), wholeWh('1e3')]).toEqual([156700, 156700, 0, 1000]);
  });
});
