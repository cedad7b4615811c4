/**
 * The device-model requests of OCPP 2.0.1 (B05 SetVariables, B06 GetVariables, B07
 * GetBaseReport, B08 GetReport) answered from the station's DeviceModel: a request with more
 * entries than DeviceDataCtrlr.ItemsPerMessage allows is refused whole (OccurrenceConstraintViolation),
 * and a report goes out as NotifyReport parts of at most ItemsPerMessage[GetReport] entries
 * (seqNo from 0, tbc until the last).
 */
import { createRPCError } from 'ocpp-rpc';
import type { DeviceModel } from './device-model';
import type { CommandHandler } from './features';

export interface DeviceModelCommandsHost {
  readonly deviceModel: DeviceModel;
  handle(action: string, handler: CommandHandler): void;
  later(ms: number, task: () => Promise<unknown>): void;
  call(action: string, payload: object): Promise<unknown>;
  /** A SetVariables changed this variable: it takes effect at once. */
  variableChanged(key: string): void;
}

export function registerDeviceModelCommands(host: DeviceModelCommandsHost): void {
  const dm = host.deviceModel;
  const within = (action: 'GetVariables' | 'SetVariables', entries: unknown[], answer: () => unknown): unknown => {
    const max = dm.integer(`DeviceDataCtrlr.ItemsPerMessage[${action}]`);
    if (max > 0 && entries.length > max) throw createRPCError('OccurrenceConstraintViolation', `${entries.length} entries; DeviceDataCtrlr.ItemsPerMessage[${action}] is ${max}`);
    return answer();
  };
  const report = (requestId: number, data: Record<string, unknown>[]): unknown => {
    if (data.length === 0) return { status: 'EmptyResultSet' };
    const per = Math.max(1, dm.integer('DeviceDataCtrlr.ItemsPerMessage[GetReport]'));
    host.later(0, async () => {
      const generatedAt = new Date().toISOString();
      const parts = Math.ceil(data.length / per);
      for (let seqNo = 0; seqNo < parts; seqNo++) {
        await host.call('NotifyReport', { requestId, generatedAt, seqNo, tbc: seqNo < parts - 1, reportData: data.slice(seqNo * per, (seqNo + 1) * per) });
      }
    });
    return { status: 'Accepted' };
  };

  host.handle('GetVariables', (p) =>
    within('GetVariables', p.getVariableData, () => ({
      getVariableResult: (p.getVariableData as any[]).map((d) => ({
        ...dm.getVariable(d),
        ...(d.attributeType ? { attributeType: d.attributeType } : {}),
        component: d.component,
        variable: d.variable,
      })),
    })),
  );
  host.handle('SetVariables', (p) =>
    within('SetVariables', p.setVariableData, () => ({
      setVariableResult: (p.setVariableData as any[]).map((d) => {
        const { attributeStatus, changed, reason } = dm.setVariable(d);
        if (changed) host.variableChanged(changed);
        return { attributeStatus, ...(d.attributeType ? { attributeType: d.attributeType } : {}), ...(reason ? { attributeStatusInfo: { reasonCode: reason } } : {}), component: d.component, variable: d.variable };
      }),
    })),
  );
  host.handle('GetBaseReport', (p) => report(p.requestId, dm.report(p.reportBase)));
  host.handle('GetReport', (p) => report(p.requestId, dm.customReport(p.componentVariable, p.componentCriteria)));
}
