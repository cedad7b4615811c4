import { checkConfigurationValue, configurationKeyDefinition, isReadonlyByDefinition, satisfiesDesired, valueToSend } from '../../src/ocpp/configuration-keys';
import { mergeDesired, planConfiguration, stationFacts } from '../../src/ocpp/configuration-plan';
import { parseFeatureProfiles, profileOfAction, profileOfCommand } from '../../src/ocpp/feature-profiles';

describe('the OCPP 1.6 configuration key table', () => {
  it('knows the §9 keys with their type, accessibility and profile', () => {
    expect(configurationKeyDefinition('MeterValueSampleInterval')).toMatchObject({ type: 'integer', access: 'RW', profile: 'Core' });
    expect(configurationKeyDefinition('SupportedFeatureProfiles')).toMatchObject({ type: 'CSL', access: 'R' });
    expect(configurationKeyDefinition('LocalAuthListEnabled')).toMatchObject({ type: 'boolean', profile: 'LocalAuthListManagement' });
    expect(configurationKeyDefinition('AuthorizeRemoteTxRequests')?.access).toBe('R/RW');
    expect(configurationKeyDefinition('toString')).toBeUndefined(); // no prototype keys
    for (const key of ['NumberOfConnectors', 'GetConfigurationMaxKeys', 'MeterValuesSampledDataMaxLength', 'ChargeProfileMaxStackLevel']) expect(isReadonlyByDefinition(key)).toBe(true);
    expect(isReadonlyByDefinition('AuthorizeRemoteTxRequests')).toBe(false); // the charger decides
    expect(isReadonlyByDefinition('VendorSpecificKey')).toBe(false);
  });

  it.each([
    ['HeartbeatInterval', '0300', '300'],
    ['LocalPreAuthorize', 'TRUE', 'true'],
    ['MeterValuesSampledData', ' Energy.Active.Import.Register , SoC ', 'Energy.Active.Import.Register,SoC'],
    ['ConnectorPhaseRotation', '1.RST,2.NotApplicable', '1.RST,2.NotApplicable'],
    ['VendorKey', 'anything at all', 'anything at all'],
  ])('accepts %s = %j as %j', (key, value, normal) => {
    expect(checkConfigurationValue(key, value)).toEqual({ ok: true, value: normal });
  });

  it.each([
    ['MeterValueSampleInterval', '-1', /whole number/], // TC_040_2_CSMS sends -1: refused before sending
    ['MeterValueSampleInterval', 'sixty', /whole number/],
    ['LocalPreAuthorize', 'yes', /true or false/],
    ['MeterValuesSampledData', 'Energy.Active.Import.Register,Banana', /"Banana" is not an OCPP 1.6 measurand/],
    ['MeterValuesSampledData', 'SoC,SoC', /twice/],
    ['LightIntensity', '101', /at most 100/],
    ['VendorKey', 'x'.repeat(501), /at most 500/],
  ])('refuses %s = %j', (key, value, problem) => {
    const check = checkConfigurationValue(key, value);
    expect(check.ok).toBe(false);
    expect(!check.ok && check.problem).toMatch(problem);
  });

  it("refuses a list longer than the charger's …MaxLength", () => {
    expect(checkConfigurationValue('MeterValuesSampledData', 'Energy.Active.Import.Register,SoC,Voltage', 2)).toMatchObject({ ok: false, problem: expect.stringMatching(/at most 2 elements \(MeterValuesSampledDataMaxLength\)/) });
  });

  it('compares by type, and treats measurand lists as a minimum that never drops a configured measurand', () => {
    expect(satisfiesDesired('HeartbeatInterval', '0300', '300')).toBe(true);
    expect(satisfiesDesired('LocalPreAuthorize', 'True', 'true')).toBe(true);
    expect(satisfiesDesired('MeterValuesSampledData', 'Energy.Active.Import.Register,SoC', 'Energy.Active.Import.Register')).toBe(true);
    expect(satisfiesDesired('MeterValuesSampledData', 'SoC', 'Energy.Active.Import.Register')).toBe(false);
    expect(valueToSend('MeterValuesSampledData', 'SoC', 'Energy.Active.Import.Register,Voltage')).toBe('SoC,Energy.Active.Import.Register,Voltage');
    expect(satisfiesDesired('VendorKey', undefined, 'x')).toBe(false);
  });
});

describe('feature profiles', () => {
  it('name the profile of every command and central-system action', () => {
    expect(profileOfCommand.triggerMessage).toBe('RemoteTrigger');
    expect(profileOfCommand.reset).toBe('Core');
    expect(profileOfAction.SetChargingProfile).toBe('SmartCharging');
    expect(profileOfAction.UpdateFirmware).toBe('FirmwareManagement');
    expect(profileOfAction.SendLocalList).toBe('LocalAuthListManagement');
    expect(profileOfAction.ReserveNow).toBe('Reservation');
    expect(parseFeatureProfiles('Core, RemoteTrigger,Bogus')).toEqual(['Core', 'RemoteTrigger']);
  });
});

describe('the reconciliation plan', () => {
  const answer = {
    configurationKey: [
      { key: 'MeterValueSampleInterval', readonly: false, value: '0' },
      { key: 'HeartbeatInterval', readonly: false, value: '300' },
      { key: 'ConnectionTimeOut', readonly: true, value: '30' },
      { key: 'MeterValuesSampledData', readonly: false, value: 'Energy.Active.Import.Register' },
      { key: 'MeterValuesSampledDataMaxLength', readonly: true, value: '2' },
      { key: 'NumberOfConnectors', readonly: true, value: '2' },
      { key: 'SupportedFeatureProfiles', readonly: true, value: 'Core,RemoteTrigger' },
    ],
  };

  it('changes what differs, leaves what is right, and names what cannot be set', () => {
    const plan = planConfiguration(
      mergeDesired([
        { key: 'MeterValueSampleInterval', value: '60', source: 'network_default' },
        { key: 'HeartbeatInterval', value: '300', source: 'network_default' },
        { key: 'ConnectionTimeOut', value: '120', source: 'network_default' },
        { key: 'MeterValuesSampledData', value: 'Voltage,SoC', source: 'all' },
        { key: 'NumberOfConnectors', value: '4', source: 'station' },
        { key: 'VendorFan', value: 'on', source: 'group' },
      ]),
      answer,
    );
    expect(plan.changes).toEqual([{ key: 'MeterValueSampleInterval', value: '60', desired: '60', actual: '0', source: 'network_default' }]);
    expect(plan.inSync).toEqual(['HeartbeatInterval']);
    expect(plan.drift.map((d) => [d.key, d.outcome])).toEqual([
      ['ConnectionTimeOut', 'readonly'],
      ['MeterValuesSampledData', 'invalid'], // three measurands where the station takes two
      ['NumberOfConnectors', 'readonly'],
      ['VendorFan', 'unknown'],
    ]);
  });

  it('lets the most specific entry win', () => {
    expect(
      mergeDesired([
        { key: 'MeterValueSampleInterval', value: '60', source: 'network_default' },
        { key: 'MeterValueSampleInterval', value: '30', source: 'station' },
        { key: 'MeterValueSampleInterval', value: '15', source: 'all' },
      ]),
    ).toEqual([{ key: 'MeterValueSampleInterval', value: '30', source: 'station' }]);
  });

  it('reads the feature profiles and the number of connectors from the same answer', () => {
    expect(stationFacts(answer)).toEqual({ featureProfiles: ['Core', 'RemoteTrigger'], numberOfConnectors: 2 });
    expect(stationFacts({ configurationKey: [] })).toEqual({ featureProfiles: null, numberOfConnectors: null });
  });
});
