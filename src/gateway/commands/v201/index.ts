/**
 * The contract commands as an OCPP 2.0.1 station gets them: one translator per command (one file
 * per command or per family), registered here by the contract's action name. A command without
 * a translator fails as NotSupported (src/gateway/commands/v201/translator.ts).
 */
import type { Ocpp16Requests } from '../../../ocpp/ocpp16-messages';
import type { CommandTranslator } from '../../handlers/protocol-version';
import { getLocalListVersion, sendLocalList } from './local-list';
import { cancelReservation, reserveNow } from './reservation';
import { clearCache, dataTransfer } from './simple-commands';
import { clearChargingProfile, getCompositeSchedule, setChargingProfile } from './smart-charging';
import { notSupported, type Translator201 } from './translator';

type Translators = { [A in keyof Ocpp16Requests]?: Translator201<A> };

const translators: Translators = {
  ClearCache: clearCache,
  DataTransfer: dataTransfer,
  SendLocalList: sendLocalList,
  GetLocalListVersion: getLocalListVersion,
  ReserveNow: reserveNow,
  CancelReservation: cancelReservation,
  SetChargingProfile: setChargingProfile,
  ClearChargingProfile: clearChargingProfile,
  GetCompositeSchedule: getCompositeSchedule,
};

export const translateCommand201: CommandTranslator = async (action, payload, ctx) => {
  const translator = (translators as Record<string, Translator201<keyof Ocpp16Requests> | undefined>)[action];
  if (!translator) throw notSupported(ctx.stationId, action, 'no translation of this command');
  const command = await translator(payload as never, ctx);
  return { action: command.action, payload: command.payload, answer: (reply) => command.answer(reply as never) };
};
