import type { MeterValuesRequest, MeterValuesResponse } from '../../../ocpp/ocpp201-messages';
import type { Handler } from '../handler';
import { readingOf } from '../meter-readings';
import { resolveMeterSamples } from './meter-samples';

/**
 * J01: samples outside a transaction (2.0.1 sends a transaction's in TransactionEvent), stored
 * under the EVSE as connector (evseId 0: the station's main meter) with no transaction.
 */
export const meterValues: Handler<MeterValuesRequest, MeterValuesResponse> = async (ctx, request) => {
  const samples = resolveMeterSamples(request.meterValue);
  await ctx.storage.transactions.recordMeterValues(ctx.stationId, request.evseId, null, samples, samples.map(readingOf));
  return {};
};
