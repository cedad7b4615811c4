/** GetVariables / SetVariables (B05, B06) against the station's device model. */
import { useStationHarness } from './support/harness';

const h = useStationHarness('DM201');
const { connected } = h;

const ref = (component: string, variable: string, extra: Record<string, unknown> = {}) => ({ component: { name: component }, variable: { name: variable }, ...extra });

describe('GetVariables (B06)', () => {
  test('known variables answer Accepted with their value; unknown component and variable are told apart (TC_B_06_CS, TC_B_32_CS)', async () => {
    const s = await connected();
    const answer = await h.csms.command(s.stationId, 'GetVariables', {
      getVariableData: [
        ref('OCPPCommCtrlr', 'HeartbeatInterval'),
        ref('SampledDataCtrlr', 'TxUpdatedMeasurands'),
        ref('LocalAuthListCtrlr', 'Entries'),
        ref('SmartChargingCtrlr', 'Entries'),
        ref('NoSuchCtrlr', 'Enabled'),
        ref('AuthCtrlr', 'NoSuchVariable'),
        ref('AuthCtrlr', 'Enabled', { attributeType: 'Target' }),
      ],
    });
    expect(answer.getVariableResult.map((r: any) => [r.component.name, r.variable.name, r.attributeStatus, r.attributeValue])).toEqual([
      ['OCPPCommCtrlr', 'HeartbeatInterval', 'Accepted', '300'],
      ['SampledDataCtrlr', 'TxUpdatedMeasurands', 'Accepted', 'Energy.Active.Import.Register'],
      ['LocalAuthListCtrlr', 'Entries', 'Accepted', '0'],
      ['SmartChargingCtrlr', 'Entries', 'Accepted', '0'],
      ['NoSuchCtrlr', 'Enabled', 'UnknownComponent', undefined],
      ['AuthCtrlr', 'NoSuchVariable', 'UnknownVariable', undefined],
      ['AuthCtrlr', 'Enabled', 'NotSupportedAttributeType', undefined],
    ]);
  });

  test('an EVSE component is found by its evse id only when that EVSE exists', async () => {
    const s = await connected({ evses: 2 });
    const answer = await h.csms.command(s.stationId, 'GetVariables', {
      getVariableData: [
        { component: { name: 'EVSE', evse: { id: 2 } }, variable: { name: 'AvailabilityState' } },
        { component: { name: 'EVSE', evse: { id: 3 } }, variable: { name: 'AvailabilityState' } },
      ],
    });
    expect(answer.getVariableResult.map((r: any) => [r.attributeStatus, r.attributeValue])).toEqual([
      ['Accepted', 'Available'],
      ['UnknownComponent', undefined],
    ]);
  });
});

describe('SetVariables (B05)', () => {
  test('adding SoC to TxUpdatedMeasurands is Accepted and SoC then appears in Updated', async () => {
    const s = await connected({ socStartPercent: 74 });
    const answer = await h.csms.command(s.stationId, 'SetVariables', {
      setVariableData: [{ ...ref('SampledDataCtrlr', 'TxUpdatedMeasurands'), attributeValue: 'Energy.Active.Import.Register,SoC' }],
    });
    expect(answer.setVariableResult).toEqual([{ attributeStatus: 'Accepted', component: { name: 'SampledDataCtrlr' }, variable: { name: 'TxUpdatedMeasurands' } }]);
    expect(s.variable('SampledDataCtrlr.TxUpdatedMeasurands')).toBe('Energy.Active.Import.Register,SoC');
    await s.startTransaction(1, 'TAG');
    await s.sendMeterValues(1);
    const updated = h.csms.events(s.stationId).find((e) => e.eventType === 'Updated');
    expect(updated.meterValue[0].sampledValue.map((v: any) => [v.measurand, v.value])).toEqual([
      ['Energy.Active.Import.Register', 0],
      ['SoC', 74],
    ]);
  });

  test('values outside the valuesList, of the wrong type or of read-only variables are Rejected and change nothing (TC_B_09_CS)', async () => {
    const s = await connected();
    const answer = await h.csms.command(s.stationId, 'SetVariables', {
      setVariableData: [
        { ...ref('SampledDataCtrlr', 'TxUpdatedMeasurands'), attributeValue: 'Energy.Active.Import.Register,Temperature' },
        { ...ref('OCPPCommCtrlr', 'HeartbeatInterval'), attributeValue: 'soon' },
        { ...ref('AuthCtrlr', 'AuthorizeRemoteStart'), attributeValue: 'yes' },
        { ...ref('LocalAuthListCtrlr', 'Entries'), attributeValue: '5' },
        { ...ref('Nowhere', 'Enabled'), attributeValue: 'true' },
        { ...ref('AuthCtrlr', 'Nothing'), attributeValue: 'true' },
      ],
    });
    expect(answer.setVariableResult.map((r: any) => r.attributeStatus)).toEqual(['Rejected', 'Rejected', 'Rejected', 'Rejected', 'UnknownComponent', 'UnknownVariable']);
    expect(s.variable('SampledDataCtrlr.TxUpdatedMeasurands')).toBe('Energy.Active.Import.Register');
    expect(s.variable('OCPPCommCtrlr.HeartbeatInterval')).toBe('300');
  });

  test('a station without SoC (supportsSoc: false) rejects SoC in TxUpdatedMeasurands', async () => {
    const s = await connected({ supportsSoc: false });
    const answer = await h.csms.command(s.stationId, 'SetVariables', {
      setVariableData: [{ ...ref('SampledDataCtrlr', 'TxUpdatedMeasurands'), attributeValue: 'Energy.Active.Import.Register,SoC' }],
    });
    expect(answer.setVariableResult[0]).toMatchObject({ attributeStatus: 'Rejected', attributeStatusInfo: { reasonCode: 'ValueNotInList' } });
  });

  test('a new HeartbeatInterval takes effect at once', async () => {
    const s = await connected({ secondMs: 100 });
    await h.csms.command(s.stationId, 'SetVariables', { setVariableData: [{ ...ref('OCPPCommCtrlr', 'HeartbeatInterval'), attributeValue: '1' }] });
    await h.next(s.stationId, (c) => c.action === 'Heartbeat', 1500);
  });

  test('a preset outside the valuesList is refused at construction', () => {
    expect(() => h.station({ supportsSoc: false, variables: { 'SampledDataCtrlr.TxUpdatedMeasurands': 'SoC' } })).toThrow(/valid MemberList/);
  });
});
