/**
 * A raw OCPP 2.0.1 socket that answers the CSMS's requests like a station: a small device model
 * for GetVariables / SetVariables (read-only variables, a MemberList's valuesList and maxLimit),
 * a scripted answer per action for the rest (NotImplemented when none), and every request it got, in order.
 */
import WebSocket from 'ws';
import { basicAuth, RawOcppSocket } from '../../support/gateway-harness';

export interface DeviceVariableSpec {
  value: string;
  readonly?: boolean;
  /** MemberList: what each element may be. */
  valuesList?: string[];
  /** The longest value (characters), as VariableCharacteristics.maxLimit says for lists. */
  maxLimit?: number;
  rebootRequired?: boolean;
}

type Component = { name: string; instance?: string; evse?: { id: number; connectorId?: number } };
type Variable = { name: string; instance?: string };

/** 'Component.Variable', 'Component.Variable[Instance]' or 'EVSE#2.Available' (the EVSE's component). */
export const variableKey = (c: Component, v: Variable): string =>
  `${c.name}${c.instance ? `(${c.instance})` : ''}${c.evse ? `#${c.evse.id}` : ''}.${v.name}${v.instance ? `[${v.instance}]` : ''}`;

export const measurands = ['Energy.Active.Import.Register', 'Power.Active.Import', 'Current.Import', 'Voltage', 'SoC'];

/** The device model of a two-EVSE station with the controllers the CSMS reads. */
export const deviceModel = (overrides: Record<string, DeviceVariableSpec> = {}): Record<string, DeviceVariableSpec> => ({
  'SampledDataCtrlr.TxUpdatedMeasurands': { value: 'Energy.Active.Import.Register,Power.Active.Import', valuesList: measurands },
  'SampledDataCtrlr.TxUpdatedInterval': { value: '0' },
  'SampledDataCtrlr.TxEndedMeasurands': { value: 'Energy.Active.Import.Register', valuesList: measurands },
  'OCPPCommCtrlr.HeartbeatInterval': { value: '300' },
  'TxCtrlr.EVConnectionTimeOut': { value: '60', rebootRequired: true },
  'AuthCacheCtrlr.Enabled': { value: 'true' },
  'LocalAuthListCtrlr.Enabled': { value: 'false' },
  'LocalAuthListCtrlr.Available': { value: 'true', readonly: true },
  'LocalAuthListCtrlr.ItemsPerMessage': { value: '100', readonly: true },
  'ReservationCtrlr.Available': { value: 'false', readonly: true },
  'SmartChargingCtrlr.Enabled': { value: 'true' },
  'SmartChargingCtrlr.ProfileStackLevel': { value: '10', readonly: true },
  'SmartChargingCtrlr.RateUnit': { value: 'A,W', readonly: true },
  'EVSE#1.Available': { value: 'true', readonly: true },
  'EVSE#2.Available': { value: 'true', readonly: true },
  ...overrides,
});

export const boot201 = { reason: 'PowerUp', chargingStation: { vendorName: 'Acme', model: 'AC-22' } };

export class ScriptedStation201 {
  readonly requests: Array<{ action: string; payload: any }> = [];
  readonly answers: Record<string, (payload: any) => object> = {};

  private constructor(
    readonly socket: RawOcppSocket,
    readonly deviceModel: Map<string, DeviceVariableSpec>,
  ) {
    socket.ws.on('message', (data) => {
      const [type, id, action, payload] = JSON.parse(data.toString());
      if (type !== 2) return;
      this.requests.push({ action, payload });
      const answer = this.answers[action] ?? this.builtIn(action);
      // Anything not scripted: what a station that lacks it answers.
      socket.send(JSON.stringify(answer ? [3, id, answer(payload)] : [4, id, 'NotImplemented', `no script for ${action}`, {}]));
    });
  }

  /** Connects to the gateway at `url` (ws://host:port/ocpp) as `stationId` and boots (Accepted). */
  static async connect(url: string, stationId: string, password: string, deviceModel: Record<string, DeviceVariableSpec> = {}): Promise<ScriptedStation201> {
    const ws = new WebSocket(`${url}/${stationId}`, ['ocpp2.0.1'], { headers: { Authorization: basicAuth(stationId, password) } });
    const socket = new RawOcppSocket(ws);
    const station = new ScriptedStation201(socket, new Map(Object.entries(deviceModel)));
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    const reply = await socket.call('boot', 'BootNotification', boot201);
    if ((reply[2] as { status?: string }).status !== 'Accepted') throw new Error(`boot not accepted: ${JSON.stringify(reply)}`);
    return station;
  }

  /** The last request of this action. */
  last(action: string): any {
    return [...this.requests].reverse().find((r) => r.action === action)?.payload;
  }

  close(): void {
    this.socket.ws.terminate();
  }

  private builtIn(action: string): ((payload: any) => object) | undefined {
    if (action === 'GetVariables') {
      return ({ getVariableData }) => ({
        getVariableResult: getVariableData.map(({ component, variable }: { component: Component; variable: Variable }) => {
          const known = this.deviceModel.get(variableKey(component, variable));
          const componentKnown = [...this.deviceModel.keys()].some((k) => k.startsWith(variableKey(component, { name: '' })));
          if (!known) return { attributeStatus: componentKnown ? 'UnknownVariable' : 'UnknownComponent', component, variable };
          return { attributeStatus: 'Accepted', attributeValue: known.value, component, variable };
        }),
      });
    }
    if (action === 'SetVariables') {
      return ({ setVariableData }) => ({
        setVariableResult: setVariableData.map(({ component, variable, attributeValue }: { component: Component; variable: Variable; attributeValue: string }) => {
          const known = this.deviceModel.get(variableKey(component, variable));
          if (!known) return { attributeStatus: 'UnknownVariable', component, variable };
          const items = attributeValue.split(',').map((s) => s.trim());
          const outOfList = known.valuesList && items.some((i) => !known.valuesList!.includes(i));
          const tooLong = known.maxLimit !== undefined && attributeValue.length > known.maxLimit;
          if (known.readonly || outOfList || tooLong) return { attributeStatus: 'Rejected', component, variable };
          known.value = attributeValue;
          return { attributeStatus: known.rebootRequired ? 'RebootRequired' : 'Accepted', component, variable };
        }),
      });
    }
    return undefined;
  }
}
