/**
 * ChangeAvailability on behalf of the operator: the command (routed and reported like every
 * charger command), then what the station took recorded in PostgreSQL by a local activity that
 * retries until the database answers. The station may already have changed: its answer is never
 * lost between the socket and the database, and the API's answer waits for both.
 */
import { proxyLocalActivities } from '@temporalio/workflow';
import type { ChangeAvailabilityRequest } from '../src/ocpp/ocpp16-messages';
import { sendChargerCommand, type ChargerCommandOutcome, type CommandPolicy } from './charger-command-sender';
import type { SessionActivities } from './session-activities';

export interface ChangeAvailabilityInput {
  stationId: string;
  connectorId: number;
  type: ChangeAvailabilityRequest['type'];
  policy: CommandPolicy;
}

const bookkeeping = proxyLocalActivities<Pick<SessionActivities, 'recordAvailabilityRequest'>>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

export async function changeAvailability(input: ChangeAvailabilityInput): Promise<ChargerCommandOutcome<'changeAvailability'>> {
  const { stationId, connectorId, type, policy } = input;
  const outcome = await sendChargerCommand('changeAvailability', { stationId, connectorId, type }, policy);
  // Rejected: the station changed nothing, so nothing is recorded.
  if (outcome.ok && outcome.result.status !== 'Rejected') {
    await bookkeeping.recordAvailabilityRequest({ stationId, connectorId, type, scheduled: outcome.result.status === 'Scheduled' });
  }
  return outcome;
}
