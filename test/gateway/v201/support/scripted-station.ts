/**
 * A raw OCPP 2.0.1 socket that answers the CSMS's requests like a station: a small device model
 * for GetVariables / SetVariables (read-only variables, a MemberList's valuesList and maxLimit),
 * a scripted answer per action for the rest, and every request it got, in order.
 */
import { rawSocket, type GatewayHarness, type RawOcppSocket } from '../../support/gateway-harness';

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
      if (answer) socket.send(JSON.stringify([3, id, answer(payload)]));
    });
  }

  static async connect(h: GatewayHarness, stationId: string, deviceModel: Record<string, DeviceVariableSpec> = {}): Promise<ScriptedStation201> {
    const socket = await rawSocket(h, stationId, undefined, ['ocpp2.0.1']);
    const station = new ScriptedStation201(socket, new Map(Object.entries(deviceModel)));
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
