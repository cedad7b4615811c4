/**
 * The contract commands as an OCPP 1.6 station gets them: in their own words, except those 1.6
 * has no message for (ContractOnlyRequests, e.g. GetBaseReport), which fail as if the station had
 * answered NotSupported, without being sent.
 */
import { ChargerCommandErrors, type ContractOnlyRequests, type OcppCallErrorDetails } from '../../../ocpp/charger-commands';
import type { CommandTranslator } from '../../handlers/protocol-version';
import { ChargerCommandError } from '../command-errors';

const notInOcpp16: Record<keyof ContractOnlyRequests, true> = { GetBaseReport: true };

export const translateCommand16: CommandTranslator = async (action, payload, { stationId }) => {
  if (Object.hasOwn(notInOcpp16, action)) {
    const details: OcppCallErrorDetails = { errorCode: 'NotSupported', errorDescription: `OCPP 1.6 has no ${action}`, errorDetails: {} };
    throw new ChargerCommandError(ChargerCommandErrors.CallError, stationId, `cannot be sent ${action}: OCPP 1.6 has no such message`, details);
  }
  return { action, payload, answer: (reply) => reply };
};
