/** The configuration translations on their own (no socket): which variables a read asks for, and how answers and values read back. */
import { translateCommand201 } from '../../../src/gateway/commands/v201';
import { mappedKeys, maxEvsesProbed } from '../../../src/gateway/commands/v201/configuration-variables';
import { InMemoryStorage } from '../support/in-memory-storage';

const ctx = { stationId: 'CS_UNIT', storage: new InMemoryStorage() };

describe('GetConfiguration / ChangeConfiguration in 2.0.1 words', () => {
  it('a whole read asks each mapped variable once, the EVSE probes and the optional controllers: within a station ItemsPerMessage of 50', async () => {
    const command = await translateCommand201('GetConfiguration', {}, ctx);
    const data = (command.payload as { getVariableData: unknown[] }).getVariableData;
    // Three controllers' Available and Enabled, less LocalAuthListCtrlr.Enabled, which is LocalAuthListEnabled's already.
    expect(data).toHaveLength(Object.keys(mappedKeys).length + maxEvsesProbed + 6 - 1);
    expect(new Set(data.map((d) => JSON.stringify(d))).size).toBe(data.length);
    expect(data.length).toBeLessThanOrEqual(50);
  });

  it('writes the rate units in 2.0.1 words and names a Component.Variable[Instance] key as that variable', async () => {
    const units = await translateCommand201('ChangeConfiguration', { key: 'ChargingScheduleAllowedChargingRateUnit', value: 'Current,Power' }, ctx);
    expect(units.payload).toEqual({ setVariableData: [{ component: { name: 'SmartChargingCtrlr' }, variable: { name: 'RateUnit' }, attributeValue: 'A,W' }] });
    const direct = await translateCommand201('ChangeConfiguration', { key: 'OCPPCommCtrlr.MessageAttemptInterval[TransactionEvent]', value: '10' }, ctx);
    expect(direct.payload).toEqual({
      setVariableData: [{ component: { name: 'OCPPCommCtrlr' }, variable: { name: 'MessageAttemptInterval', instance: 'TransactionEvent' }, attributeValue: '10' }],
    });
  });

  it('reads a result by its component and variable, not by its position; an Accepted result without a value is a key without one', async () => {
    const command = await translateCommand201('GetConfiguration', { key: ['HeartbeatInterval', 'LocalAuthListEnabled'] }, ctx);
    const answer = command.answer({
      getVariableResult: [
        { attributeStatus: 'Accepted', component: { name: 'LocalAuthListCtrlr' }, variable: { name: 'Enabled' } },
        { attributeStatus: 'Accepted', attributeValue: '120', component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' } },
      ],
    });
    expect(answer).toEqual({
      configurationKey: [
        { key: 'HeartbeatInterval', readonly: false, value: '120' },
        { key: 'LocalAuthListEnabled', readonly: false },
      ],
      unknownKey: [],
    });
  });

  it('a read of only keys 2.0.1 cannot answer is answered here: all unknown, nothing sent', async () => {
    const command = await translateCommand201('GetConfiguration', { key: ['MeterValuesSampledDataMaxLength', 'VendorKey'] }, ctx);
    expect(command.unsentAnswer).toEqual({ value: { configurationKey: [], unknownKey: ['MeterValuesSampledDataMaxLength', 'VendorKey'] } });
  });
});
