/**
 * OCPP 2.0.1 FirmwareStatusNotification / LogStatusNotification statuses in the words the
 * firmware-update and diagnostics workflows follow (1.6's FirmwareStatus, DiagnosticsStatus;
 * workflows/firmware-update.ts, diagnostics-request.ts). The workflows are not changed for 2.0.1:
 * each 2.0.1 status is mapped to the 1.6 status that means the same for the update or the upload,
 * and the station's own word is stored beside it (chargers.firmware_status_reported, log_status_reported).
 */
import type { FirmwareStatusEnumType, UploadLogStatusEnumType } from '../../ocpp/ocpp201-messages';
import type { DiagnosticsStatus } from '../../../workflows/diagnostics-messages';
import type { FirmwareStatus } from '../../../workflows/firmware-messages';

export const firmwareStatusOf201: Record<FirmwareStatusEnumType, FirmwareStatus> = {
  Idle: 'Idle',
  Downloading: 'Downloading',
  // Still in the download phase: the update is alive, nothing is downloaded yet.
  DownloadScheduled: 'Downloading',
  DownloadPaused: 'Downloading',
  Downloaded: 'Downloaded',
  DownloadFailed: 'DownloadFailed',
  // Downloaded and checked, or waiting for installDateTime: nothing installed yet.
  SignatureVerified: 'Downloaded',
  InstallScheduled: 'Downloaded',
  Installing: 'Installing',
  // Rebooting to install: a boot now is the station restarting into the new firmware (as a boot while Installing).
  InstallRebooting: 'Installing',
  Installed: 'Installed',
  InstallationFailed: 'InstallationFailed',
  // The downloaded firmware is refused before it is installed: the update ends without the new firmware.
  InvalidSignature: 'InstallationFailed',
  InstallVerificationFailed: 'InstallationFailed',
};

export const diagnosticsStatusOf201: Record<UploadLogStatusEnumType, DiagnosticsStatus> = {
  Idle: 'Idle',
  Uploading: 'Uploading',
  Uploaded: 'Uploaded',
  UploadFailure: 'UploadFailed',
  // The upload did not happen: the server refused the message, the operation or the permission.
  BadMessage: 'UploadFailed',
  NotSupportedOperation: 'UploadFailed',
  PermissionDenied: 'UploadFailed',
  // The upload was cancelled by a newer GetLog: this request's file will not come.
  AcceptedCanceled: 'UploadFailed',
};
