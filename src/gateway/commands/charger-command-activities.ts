/**
 * The charger command activities (RemoteStart/Stop, Get/ChangeConfiguration, TriggerMessage, Reset,
 * UnlockConnector, ChangeAvailability, ClearCache, DataTransfer, UpdateFirmware, GetDiagnostics,
 * SendLocalList, GetLocalListVersion, ReserveNow, CancelReservation, SetChargingProfile, ClearChargingProfile,
 * GetCompositeSchedule, and 2.0.1's GetBaseReport). They run on the task queue of the gateway
 * process that holds the charger (`ocpp-gateway.<gatewayId>`) and send the command over the
 * charger's live connection.
 *
 * Errors (ApplicationFailure types from ChargerCommandErrors; src/gateway/commands/command-errors.ts):
 * - ChargerNotConnected (retryable): not connected here, or the connection dropped mid-call;
 * - ChargerResponseTimeout (retryable): no answer within GATEWAY_COMMAND_TIMEOUT_MS;
 * - OcppCallError (non-retryable): the charger answered with a CALLERROR; details[0] carries
 *   { errorCode, errorDescription, errorDetails };
 * - ChargerInvalidResponse (non-retryable): the charger's answer breaks the OCPP 1.6 schema;
 *   details[0] has the same shape, with the OCPP-J code of the violation;
 * - ChargerNotAccepted (non-retryable): the charger's registration status does not allow the
 *   command (src/gateway/rules/registration.ts); details[0] carries { registrationStatus }.
 */
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { ChargerCommandActivities } from '../../ocpp/charger-commands';
import type { ChargerCommandTransport } from '../connection/live-connections';
import { ChargerCommandError, retryable } from './command-errors';

export interface ChargerCommandDeps {
  transport: ChargerCommandTransport;
}

/** The command's failure as Temporal carries it: its code is the failure type, its details the contract's. */
function toFailure(err: unknown): unknown {
  if (!(err instanceof ChargerCommandError)) return err;
  return ApplicationFailure.create({ message: err.message, type: err.code, nonRetryable: !retryable[err.code], details: err.details ? [err.details] : undefined });
}

/**
 * When the running attempt times out: a command still queued behind another one then is not
 * sent (the workflow has already moved on). Counted on this machine's clock from now, the
 * attempt's start, so a clock that differs from the server's never drops a command early.
 * None outside an activity.
 */
function activityDeadline(): number | undefined {
  let info;
  try {
    info = Context.current().info;
  } catch {
    return undefined; // called directly (tests, the gateway's own commands)
  }
  return info.startToCloseTimeoutMs > 0 ? Date.now() + info.startToCloseTimeoutMs : undefined;
}

/** Drops undefined fields: strict schema validation refuses an explicit `undefined`-turned-`null`. */
function defined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export function createChargerCommandActivities(deps: ChargerCommandDeps): ChargerCommandActivities {
  async function send<R>(stationId: string, action: string, payload: object): Promise<R> {
    try {
      return (await deps.transport.send(stationId, action, defined(payload), { deadline: activityDeadline() })) as R;
    } catch (err) {
      throw toFailure(err);
    }
  }

  return {
    remoteStartTransaction: ({ stationId, connectorId, idTag, chargingProfile }) =>
      send(stationId, 'RemoteStartTransaction', { connectorId, idTag, chargingProfile }),
    remoteStopTransaction: ({ stationId, transactionId }) => send(stationId, 'RemoteStopTransaction', { transactionId }),
    getConfiguration: async ({ stationId, key }) => {
      const answer = await send<{ configurationKey?: { key: string; readonly: boolean; value?: string }[]; unknownKey?: string[] }>(
        stationId,
        'GetConfiguration',
        { key },
      );
      return { configurationKey: answer.configurationKey ?? [], unknownKey: answer.unknownKey ?? [] };
    },
    changeConfiguration: ({ stationId, key, value }) => send(stationId, 'ChangeConfiguration', { key, value }),
    triggerMessage: ({ stationId, requestedMessage, connectorId }) => send(stationId, 'TriggerMessage', { requestedMessage, connectorId }),
    reset: ({ stationId, type }) => send(stationId, 'Reset', { type }),
    unlockConnector: ({ stationId, connectorId }) => send(stationId, 'UnlockConnector', { connectorId }),
    changeAvailability: ({ stationId, connectorId, type }) => send(stationId, 'ChangeAvailability', { connectorId, type }),
    clearCache: ({ stationId }) => send(stationId, 'ClearCache', {}),
    dataTransfer: ({ stationId, vendorId, messageId, data }) => send(stationId, 'DataTransfer', { vendorId, messageId, data }),
    updateFirmware: ({ stationId, location, retrieveDate, retries, retryInterval }) =>
      send(stationId, 'UpdateFirmware', { location, retrieveDate, retries, retryInterval }),
    getDiagnostics: ({ stationId, location, retries, retryInterval, startTime, stopTime }) =>
      send(stationId, 'GetDiagnostics', { location, retries, retryInterval, startTime, stopTime }),
    sendLocalList: ({ stationId, listVersion, localAuthorizationList, updateType }) =>
      send(stationId, 'SendLocalList', { listVersion, localAuthorizationList, updateType }),
    getLocalListVersion: ({ stationId }) => send(stationId, 'GetLocalListVersion', {}),
    reserveNow: ({ stationId, connectorId, expiryDate, idTag, parentIdTag, reservationId }) =>
      send(stationId, 'ReserveNow', { connectorId, expiryDate, idTag, parentIdTag, reservationId }),
    cancelReservation: ({ stationId, reservationId }) => send(stationId, 'CancelReservation', { reservationId }),
    setChargingProfile: ({ stationId, connectorId, csChargingProfiles }) => send(stationId, 'SetChargingProfile', { connectorId, csChargingProfiles }),
    clearChargingProfile: ({ stationId, id, connectorId, chargingProfilePurpose, stackLevel }) =>
      send(stationId, 'ClearChargingProfile', { id, connectorId, chargingProfilePurpose, stackLevel }),
    getCompositeSchedule: ({ stationId, connectorId, duration, chargingRateUnit }) =>
      send(stationId, 'GetCompositeSchedule', { connectorId, duration, chargingRateUnit }),
    getBaseReport: ({ stationId, reportBase }) => send(stationId, 'GetBaseReport', { reportBase }),
  };
}
