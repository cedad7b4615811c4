/**
 * E01–E15: TransactionEvent (Started / Updated / Ended). The event is noted by seqNo (a repeat is
 * a replay: answered, nothing stored twice) and folded into its transaction's state with its
 * samples held, in one commit; then the transaction is settled (transaction-settlement.ts): the
 * ledger's start and stop and the session's events, as 1.6's StartTransaction, MeterValues and
 * StopTransaction have them. The answer carries idTokenInfo when the event carried an id token.
 */
import type { TransactionEventRequest, TransactionEventResponse } from '../../../ocpp/ocpp201-messages';
import { idTokenAuthorization, idTokenInfoOf } from '../../rules/id-token-authorization';
import { chargingStatusChange, foldEvent, wholeWh, type RegisterReading, type TransactionEventFacts } from '../../rules/transaction-events-201';
import type { MeterSampleGroup, PendingSamples201 } from '../../storage/ports';
import type { Handler } from '../handler';
import { DEFAULT_MEASURAND, readingOf } from '../meter-readings';
import { resolveMeterSamples } from './meter-samples';
import { settleTransaction } from './transaction-settlement';

/** A token of type NoAuthorization (a free-vend station) identifies nobody: it gets no idTokenInfo. */
const identifiesSomeone = (request: TransactionEventRequest): boolean => request.idToken !== undefined && request.idToken.type !== 'NoAuthorization';

/** The energy register of each meterValue element that has one, in exact Wh. */
function registersOf(groups: MeterSampleGroup[]): RegisterReading[] {
  const registers: RegisterReading[] = [];
  for (const group of groups) {
    const wh = readingOf(group).energyWh;
    const sample = group.samples.find((v) => v.measurand === DEFAULT_MEASURAND && v.format === 'Raw' && !v.phase);
    if (wh !== undefined && sample) registers.push({ wh, at: group.timestamp, context: sample.context });
  }
  return registers;
}

function factsOf(request: TransactionEventRequest, groups: MeterSampleGroup[]): TransactionEventFacts {
  const info = request.transactionInfo;
  return {
    eventType: request.eventType,
    seqNo: request.seqNo,
    timestamp: request.timestamp,
    ...(request.evse ? { evseId: request.evse.id } : {}),
    ...(request.idToken ? { idToken: request.idToken.idToken } : {}),
    ...(info.remoteStartId === undefined ? {} : { remoteStartId: info.remoteStartId }),
    ...(request.reservationId === undefined ? {} : { reservationId: request.reservationId }),
    ...(info.stoppedReason ? { stoppedReason: info.stoppedReason } : {}),
    ...(info.chargingState ? { chargingState: info.chargingState } : {}),
    registers: registersOf(groups),
  };
}

export const transactionEvent: Handler<TransactionEventRequest, TransactionEventResponse> = async (ctx, request) => {
  const chargerTransactionId = request.transactionInfo.transactionId;
  const log = ctx.logger.child({ chargerTransactionId, seqNo: request.seqNo, eventType: request.eventType });
  const groups = resolveMeterSamples(request.meterValue ?? []);
  const facts = factsOf(request, groups);
  // The session counts whole Wh, as the ledger does (src/gateway/rules/transaction-events-201.ts).
  const readings = groups.map(readingOf).map((r) => (r.energyWh === undefined ? r : { ...r, energyWh: String(wholeWh(r.energyWh)) }));
  const pending: PendingSamples201 = { seqNo: request.seqNo, samples: groups, readings };
  const { duplicate, transaction } = await ctx.storage.transactions201.record(
    ctx.stationId,
    chargerTransactionId,
    { seqNo: request.seqNo, eventType: request.eventType, offline: request.offline === true },
    (state) => {
      // Read against the state before this event, in the same commit: held with the samples.
      const status = chargingStatusChange(state, facts);
      if (status) pending.connectorStatus = { status, at: request.timestamp };
      return foldEvent(state, facts);
    },
    pending,
  );
  if (duplicate) log.info('repeated TransactionEvent (same transaction and seqNo): nothing stored again');
  // Also for a replay: it finishes whatever an earlier attempt left undone (the station retries on an error).
  const { startedNow } = await settleTransaction(ctx, transaction, log);
  if (!identifiesSomeone(request)) return {};
  const token = request.idToken!.idToken;
  const tag = await ctx.storage.idTags.find(token, ctx.stationId);
  // The start's answer when this event's token started the transaction; ConcurrentTx is for a
  // start only, never for an Ended (it carries the card that stops), as for 1.6's StopTransaction.
  const startedByThis = startedNow && request.eventType !== 'Ended' && startedNow.idTag.toLowerCase() === token.toLowerCase();
  const { info } = startedByThis ? idTokenInfoOf({ info: startedNow.idTagInfo, driverId: null }, tag) : idTokenAuthorization(tag);
  return { idTokenInfo: info };
};
