/**
 * The contract commands as an OCPP 2.0.1 station gets them: one translator per command (one file
 * per command or per family), registered here by the contract's action name. A command without
 * a translator fails as NotSupported (src/gateway/commands/v201/translator.ts).
 */
import type { CommandTranslator } from '../../handlers/protocol-version';
import { getBaseReport } from './base-report';
import { changeConfiguration, getConfiguration } from './configuration';
import { getDiagnostics, updateFirmware } from './firmware-and-logs';
import { remoteStartTransaction, remoteStopTransaction } from './remote-transaction';
import { clearCache, dataTransfer } from './simple-commands';
import { changeAvailability, reset, triggerMessage, unlockConnector } from './station-control';
import { notSupported, type ContractRequests, type Translator201 } from './translator';

type Translators = { [A in keyof ContractRequests]?: Translator201<A> };

const translators: Translators = {
  ClearCache: clearCache,
  DataTransfer: dataTransfer,
  RemoteStartTransaction: remoteStartTransaction,
  RemoteStopTransaction: remoteStopTransaction,
  GetConfiguration: getConfiguration,
  ChangeConfiguration: changeConfiguration,
  TriggerMessage: triggerMessage,
  Reset: reset,
  UnlockConnector: unlockConnector,
  ChangeAvailability: changeAvailability,
  UpdateFirmware: updateFirmware,
  GetDiagnostics: getDiagnostics,
  GetBaseReport: getBaseReport,
};

export const translateCommand201: CommandTranslator = async (action, payload, ctx) => {
  const translator = (translators as Record<string, Translator201<keyof ContractRequests> | undefined>)[action];
  if (!translator) throw notSupported(ctx.stationId, action, 'no translation of this command');
  const command = await translator(payload as never, ctx);
  return {
    action: command.action,
    payload: command.payload,
    answer: (reply) => command.answer(reply as never),
    ...(command.unsentAnswer ? { unsentAnswer: command.unsentAnswer } : {}),
  };
};
