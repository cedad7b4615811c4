/**
 * The chargers `npm run chaos` drives: OCPP 1.6 charge points and OCPP 2.0.1 charging stations
 * side by side, behind the one interface the run uses (connector 1 = EVSE 1), so the run itself
 * does not care which protocol it talks to; and its figures split per protocol.
 */
import type Big from 'big.js';
import { SimulatedChargePoint } from '../src/simulator/charge-point';
import { SimulatedChargingStation201 } from '../src/simulator/v201/charging-station';

export type ChaosOcppVersion = '1.6' | '2.0.1';

/** What the chaos run does with a charger, as both simulators spell it. */
export interface ChaosCharger {
  readonly ocppVersion: ChaosOcppVersion;
  connect(): Promise<unknown>;
  close(): Promise<void>;
  dropConnection(): void;
  reconnect(): Promise<void>;
  drained(): Promise<void>;
  transactionId(connectorId: number): number | string | undefined;
  meterRegisterWh(connectorId: number): Big;
  setMeterRegister(connectorId: number, wh: number): void;
  sendMeterValues(connectorId: number): Promise<void>;
  sendRaw(frame: string): void;
  /** A stop at the charger, with a 1.6 stop reason ('EVDisconnected': the EV's). */
  stopTransaction(connectorId: number, reason: string): Promise<void>;
}

class ChaosChargePoint16 extends SimulatedChargePoint implements ChaosCharger {
  readonly ocppVersion = '1.6';
}

class ChaosStation201 extends SimulatedChargingStation201 implements ChaosCharger {
  readonly ocppVersion = '2.0.1';

  // 2.0.1 also says what triggered the stop: an unplugged EV is EVCommunicationLost, not StopAuthorized.
  override stopTransaction(
    evseId: number,
    stoppedReason = 'Local',
    triggerReason = stoppedReason === 'EVDisconnected' ? 'EVCommunicationLost' : 'StopAuthorized',
    idToken?: Parameters<SimulatedChargingStation201['stopTransaction']>[3],
  ): Promise<void> {
    return super.stopTransaction(evseId, stoppedReason, triggerReason, idToken);
  }
}

/** Every other charger speaks 2.0.1 (the 1st 1.6, the 2nd 2.0.1, …): about half of each. */
export function chaosOcppVersion(chargerNumber: number): ChaosOcppVersion {
  return chargerNumber % 2 === 0 ? '2.0.1' : '1.6';
}

/**
 * A charger that reconnects by itself after a drop or a dead gateway and keeps retrying its
 * transaction messages (20 attempts, 1 s apart) until they are answered.
 */
export function createChaosCharger(version: ChaosOcppVersion, options: { url: string; stationId: string; password: string; meterStartWh: number }): ChaosCharger {
  const { url, stationId, password, meterStartWh } = options;
  if (version === '1.6') {
    return new ChaosChargePoint16({ url, chargePointId: stationId, password, meterStartWh, reconnect: true, transactionMessageAttempts: 20, transactionMessageRetryMs: 1000 });
  }
  return new ChaosStation201({ url, stationId, password, meterStartWh, reconnect: true, transactionMessageRetryMs: 1000, variables: { 'OCPPCommCtrlr.MessageAttempts[TransactionEvent]': '20' } });
}

export interface ChaosVersionFigures {
  chargers: number;
  sessionsStarted: number;
  sessionsWithReceipt: number;
  sessionsLost: number;
  receiptsCheckedAgainstStoredSamples: number;
  receiptsNotMatchingStoredSamples: number;
}

/** The run's figures per protocol: which sessions each protocol's chargers started, kept and billed right. */
export function figuresByOcppVersion(
  chargers: readonly ChaosCharger[],
  versionOfSession: ReadonlyMap<string, ChaosOcppVersion>,
  receipts: ReadonlyMap<string, unknown>,
  matchesSamples: ReadonlyMap<string, boolean>,
): Record<ChaosOcppVersion, ChaosVersionFigures> {
  const figures = (version: ChaosOcppVersion): ChaosVersionFigures => {
    const sessions = [...versionOfSession].filter(([, v]) => v === version).map(([id]) => id);
    const withReceipt = sessions.filter((id) => receipts.has(id)).length;
    return {
      chargers: chargers.filter((c) => c.ocppVersion === version).length,
      sessionsStarted: sessions.length,
      sessionsWithReceipt: withReceipt,
      sessionsLost: sessions.length - withReceipt,
      receiptsCheckedAgainstStoredSamples: sessions.filter((id) => matchesSamples.has(id)).length,
      receiptsNotMatchingStoredSamples: sessions.filter((id) => matchesSamples.get(id) === false).length,
    };
  };
  return { '1.6': figures('1.6'), '2.0.1': figures('2.0.1') };
}
