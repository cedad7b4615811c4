/**
 * What a connector draws while its transaction runs: the least of what the charger offers (the
 * charging profiles' limit and its hardware) and what the car accepts (its own maximum, falling as
 * the battery fills). Pure.
 *
 * A limit below 6 A per phase pauses charging: IEC 61851-1 signals no current below 6 A, so the
 * charger suspends (StatusNotification SuspendedEVSE, OCPP 1.6 §7.7 "the EVSE is not allowing
 * energy transfer") until the limit rises again.
 */
export const MIN_CHARGING_CURRENT_A = 6;

export interface EvModel {
  /** The car's own maximum charging power, W. */
  maxPowerW: number;
  /** Above this SoC the car's acceptance falls linearly, to a tenth of its maximum at 100 %. */
  taperFromSoc: number;
}

/** The power the car accepts at `socPercent` (nothing when full). */
export function evAcceptanceW(ev: EvModel, socPercent: number): number {
  if (socPercent >= 100) return 0;
  if (socPercent <= ev.taperFromSoc) return ev.maxPowerW;
  const fraction = (socPercent - ev.taperFromSoc) / (100 - ev.taperFromSoc);
  return ev.maxPowerW * (1 - 0.9 * fraction);
}

export interface PowerInputs {
  /** The profiles' limit, W (undefined: none). */
  offeredLimitW: number | undefined;
  /** Phases charging may use now, and the voltage per phase. */
  phases: number;
  voltageV: number;
  /** What the car asks for (its acceptance within the hardware maximum, or a test's setPower() override). */
  demandW: number;
}

/** Drawn power, W, and whether the charger suspends because the limit is below the 6 A minimum. */
export function drawnPower(i: PowerInputs): { powerW: number; suspendedByLimit: boolean } {
  if (i.offeredLimitW !== undefined && i.offeredLimitW / (i.phases * i.voltageV) < MIN_CHARGING_CURRENT_A - 1e-9) {
    return { powerW: 0, suspendedByLimit: true };
  }
  return { powerW: Math.max(0, Math.min(i.offeredLimitW ?? Infinity, i.demandW)), suspendedByLimit: false };
}

/**
 * Shares the charge point's maximum among its charging connectors (§3.13.1 ChargePointMaxProfile
 * "limits the whole charge point"), water-filling: a connector asking less than an equal share
 * gets what it asks, the others split the rest equally. While that share is below a connector's
 * 6 A minimum, the connector with the highest id is suspended and the rest share again.
 */
export function shareChargePointMax(
  connectors: readonly { id: number; demandW: number; minimumW: number }[],
  capW: number,
): Map<number, { powerW: number; suspendedByLimit: boolean }> {
  const result = new Map<number, { powerW: number; suspendedByLimit: boolean }>();
  let active = [...connectors].sort((a, b) => a.id - b.id);
  for (;;) {
    const allocation = waterFill(active, capW);
    const starved = active.filter((c) => allocation.level < c.demandW && allocation.level < c.minimumW - 1e-9);
    if (starved.length === 0) {
      for (const c of active) result.set(c.id, { powerW: Math.min(c.demandW, allocation.level), suspendedByLimit: false });
      break;
    }
    const dropped = active[active.length - 1];
    result.set(dropped.id, { powerW: 0, suspendedByLimit: true });
    active = active.slice(0, -1);
  }
  return result;
}

/** The water level: every connector gets min(its demand, level), the total within `capW` (Infinity: all satisfied). */
function waterFill(connectors: readonly { demandW: number }[], capW: number): { level: number } {
  const demands = connectors.map((c) => Math.max(0, c.demandW)).sort((a, b) => a - b);
  let remaining = Math.max(0, capW);
  for (let k = 0; k < demands.length; k++) {
    const equal = remaining / (demands.length - k);
    if (demands[k] > equal) return { level: equal };
    remaining -= demands[k];
  }
  return { level: Infinity };
}
