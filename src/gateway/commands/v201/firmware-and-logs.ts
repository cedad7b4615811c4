/**
 * UpdateFirmware (L01) and GetDiagnostics → GetLog (N01). Each gets a requestId recorded for the
 * station (ocpp201_requests), under which the station reports progress (FirmwareStatusNotification,
 * LogStatusNotification). 1.6's UpdateFirmware answer is empty and its GetDiagnostics answer only
 * a file name: a 2.0.1 refusal (Rejected, InvalidCertificate, …) has no 1.6 answer, so it fails
 * the command as a CALLERROR would (the firmware and diagnostics runs record it as failed)
 * rather than pass for accepted.
 */
import { ChargerCommandErrors, type OcppCallErrorDetails } from '../../../ocpp/charger-commands';
import { ChargerCommandError } from '../command-errors';
import { translated, type Translator201 } from './translator';

function refused(stationId: string, action: string, status: string): ChargerCommandError {
  const details: OcppCallErrorDetails = { errorCode: 'GenericError', errorDescription: `OCPP 2.0.1 ${action}: ${status}`, errorDetails: { status } };
  return new ChargerCommandError(ChargerCommandErrors.CallError, stationId, `answered ${action} ${status}`, details);
}

const accepted = (status: string) => status === 'Accepted' || status === 'AcceptedCanceled';

export const updateFirmware: Translator201<'UpdateFirmware'> = async ({ location, retrieveDate, retries, retryInterval }, { stationId, storage }) => {
  const requestId = await storage.commands201.recordRequest(stationId, 'firmware');
  return translated(
    'UpdateFirmware',
    {
      requestId,
      firmware: { location, retrieveDateTime: retrieveDate },
      ...(retries === undefined ? {} : { retries }),
      ...(retryInterval === undefined ? {} : { retryInterval }),
    },
    (reply) => {
      if (!accepted(reply.status)) throw refused(stationId, 'UpdateFirmware', reply.status);
      return {};
    },
  );
};

export const getDiagnostics: Translator201<'GetDiagnostics'> = async ({ location, retries, retryInterval, startTime, stopTime }, { stationId, storage }) => {
  const requestId = await storage.commands201.recordRequest(stationId, 'log');
  return translated(
    'GetLog',
    {
      logType: 'DiagnosticsLog',
      requestId,
      log: {
        remoteLocation: location,
        ...(startTime === undefined ? {} : { oldestTimestamp: startTime }),
        ...(stopTime === undefined ? {} : { latestTimestamp: stopTime }),
      },
      ...(retries === undefined ? {} : { retries }),
      ...(retryInterval === undefined ? {} : { retryInterval }),
    },
    (reply) => {
      if (!accepted(reply.status)) throw refused(stationId, 'GetLog', reply.status);
      return reply.filename === undefined ? {} : { fileName: reply.filename };
    },
  );
};
