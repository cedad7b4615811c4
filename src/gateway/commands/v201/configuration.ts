/**
 * GetConfiguration → GetVariables and ChangeConfiguration → SetVariables, by the key ↔ variable
 * table (src/gateway/commands/v201/configuration-variables.ts). What the 1.6 callers read back:
 * - an Accepted GetVariables result is a configuration key (readonly: the standard variable's
 *   mutability, or the 1.6 key's where the spec makes it read-only); any other result makes the
 *   key unknown (a whole read just leaves it out, as a 1.6 station lists only the keys it has);
 * - SetVariables' Accepted/Rejected/RebootRequired are ChangeConfiguration's; UnknownComponent,
 *   UnknownVariable and NotSupportedAttributeType are NotSupported (the key is not supported).
 * Keys 2.0.1 cannot answer are not asked for: unknown to GetConfiguration; ChangeConfiguration of
 * a read-only one is Rejected and of a vendor key NotSupported, as a 1.6 station answers.
 */
import { isReadonlyByDefinition } from '../../../ocpp/configuration-keys';
import type { ConfigurationKey } from '../../../ocpp/charger-commands';
import type { GetVariableDataType, GetVariableResultType, SetVariableStatusEnumType } from '../../../ocpp/ocpp201-messages';
import {
  alwaysSupportedProfiles,
  derivedKeys,
  deviceVariableOf,
  mappedKeys,
  maxEvsesProbed,
  profileControllers,
  sameVariable,
  unanswerableKeys,
} from './configuration-variables';
import { answeredHere, translated, type Translator201 } from './translator';

type Wanted = Pick<GetVariableDataType, 'component' | 'variable'>;

const evseProbe = (id: number): Wanted => ({ component: { name: 'EVSE', evse: { id } }, variable: { name: 'Available' } });
const controllerVariables = (component: string): Wanted[] => [
  { component: { name: component }, variable: { name: 'Available' } },
  { component: { name: component }, variable: { name: 'Enabled' } },
];

/** What each asked-for key needs to be read. */
function variablesFor(key: string): Wanted[] {
  if (key === 'NumberOfConnectors') return Array.from({ length: maxEvsesProbed }, (_, i) => evseProbe(i + 1));
  if (key === 'SupportedFeatureProfiles') return Object.values(profileControllers).flatMap(controllerVariables);
  if ((unanswerableKeys as readonly string[]).includes(key)) return [];
  const mapped = deviceVariableOf(key);
  return mapped ? [{ component: mapped.component, variable: mapped.variable }] : [];
}

type Results = (wanted: Wanted) => GetVariableResultType | undefined;

/** The key as a 1.6 station would list it, or undefined when the station does not have it. */
function keyFrom(key: string, result: Results): ConfigurationKey | undefined {
  const accepted = (w: Wanted) => {
    const r = result(w);
    return r?.attributeStatus === 'Accepted' ? r : undefined;
  };
  if (key === 'NumberOfConnectors') {
    let evses = 0;
    while (evses < maxEvsesProbed && accepted(evseProbe(evses + 1))) evses += 1;
    return evses === 0 ? undefined : { key, readonly: true, value: String(evses) };
  }
  if (key === 'SupportedFeatureProfiles') {
    const optional = Object.entries(profileControllers)
      .filter(([, component]) => {
        const [available, enabled] = controllerVariables(component);
        const availability = accepted(available!);
        return availability ? availability.attributeValue?.trim().toLowerCase() === 'true' : accepted(enabled!) !== undefined;
      })
      .map(([profile]) => profile);
    return { key, readonly: true, value: [...alwaysSupportedProfiles, ...optional].join(',') };
  }
  const mapped = deviceVariableOf(key);
  const wanted = variablesFor(key)[0];
  const found = wanted && accepted(wanted);
  if (!mapped || !found) return undefined;
  const value = found.attributeValue === undefined ? undefined : (mapped.value?.from201(found.attributeValue) ?? found.attributeValue);
  return { key, readonly: mapped.readonly || isReadonlyByDefinition(key), ...(value === undefined ? {} : { value }) };
}

export const getConfiguration: Translator201<'GetConfiguration'> = ({ key }) => {
  const keys = key ?? [...Object.keys(mappedKeys), ...derivedKeys];
  const wanted: Wanted[] = [];
  for (const w of keys.flatMap(variablesFor)) if (!wanted.some((seen) => sameVariable(seen, w))) wanted.push(w);
  const answer = (results: GetVariableResultType[]) => {
    const result: Results = (w) => results.find((r) => sameVariable(r, w));
    const configurationKey: ConfigurationKey[] = [];
    const unknownKey: string[] = [];
    for (const k of keys) {
      const found = keyFrom(k, result);
      if (found) configurationKey.push(found);
      else if (key) unknownKey.push(k);
    }
    return { configurationKey, unknownKey };
  };
  const [first, ...rest] = wanted;
  if (!first) return answeredHere('GetVariables', answer([]));
  return translated('GetVariables', { getVariableData: [first, ...rest] }, (reply) => answer(reply.getVariableResult));
};

const changeStatus: Record<SetVariableStatusEnumType, 'Accepted' | 'Rejected' | 'RebootRequired' | 'NotSupported'> = {
  Accepted: 'Accepted',
  Rejected: 'Rejected',
  RebootRequired: 'RebootRequired',
  UnknownComponent: 'NotSupported',
  UnknownVariable: 'NotSupported',
  NotSupportedAttributeType: 'NotSupported',
};

export const changeConfiguration: Translator201<'ChangeConfiguration'> = ({ key, value }) => {
  const target = (derivedKeys as readonly string[]).includes(key) || (unanswerableKeys as readonly string[]).includes(key) ? undefined : deviceVariableOf(key);
  if (!target) return answeredHere('SetVariables', { status: isReadonlyByDefinition(key) ? 'Rejected' : 'NotSupported' });
  const attributeValue = target.value?.to201(value) ?? value;
  return translated('SetVariables', { setVariableData: [{ component: target.component, variable: target.variable, attributeValue }] }, (reply) => {
    const result = reply.setVariableResult.find((r) => sameVariable(r, target)) ?? reply.setVariableResult[0];
    return { status: changeStatus[result.attributeStatus] };
  });
};
