/**
 * Stand-ins for the firmware and diagnostics services, for testing the HTTP layer alone (the
 * document checks and the fuzzer): unknown stations are refused from PostgreSQL as the real
 * services do; everything else answers a fixed, well-formed view. The real services run on the
 * whole stack in test/stations/*.test.ts and test/api/diagnostics.test.ts.
 */
import type { DiagnosticsPort, FirmwarePort } from '../../../src/api/deps';
import type { Pool } from '../../../src/db/pool';
import type { DiagnosticsRequestView } from '../../../src/stations/diagnostics-service';
import type { FirmwareRolloutView, FirmwareUpdateView } from '../../../src/stations/firmware-service';
import { assertStationsKnown } from '../../../src/stations/station-operation-rows';
import { StationOperationError } from '../../../src/stations/station-operation-error';

const now = () => new Date().toISOString();

export class ScriptedFirmware implements FirmwarePort {
  constructor(private readonly pool: Pool) {}
  private update(stationId: string, location = 'https://127.0.0.1:8080/firmware/acme-2.1.0.bin'): FirmwareUpdateView {
    return { updateId: 'fw_scripted', stationId, rolloutId: null, location, retrieveDate: now(), retries: null, retryIntervalS: null, expectedVersion: null, status: 'requested', outcome: null, detail: null, history: [], createdAt: now(), finishedAt: null };
  }
  async requestUpdate(stationId: string, req: { location: string }) {
    await assertStationsKnown(this.pool, [stationId]);
    return this.update(stationId, req.location);
  }
  async getUpdate() {
    return null;
  }
  async listUpdates(stationId: string) {
    await assertStationsKnown(this.pool, [stationId]);
    return [];
  }
  async startRollout(req: { stationIds: string[]; maxConcurrent: number; location: string }): Promise<FirmwareRolloutView> {
    await assertStationsKnown(this.pool, req.stationIds);
    return { rolloutId: 'rollout_scripted', status: 'running', maxConcurrent: req.maxConcurrent, location: req.location, createdAt: now(), finishedAt: null, stations: req.stationIds.map((stationId) => ({ stationId, updateId: null, status: 'pending', outcome: null })) };
  }
  async getRollout() {
    return null;
  }
}

export class ScriptedDiagnostics implements DiagnosticsPort {
  constructor(private readonly pool: Pool) {}
  async requestDiagnostics(stationId: string): Promise<DiagnosticsRequestView> {
    await assertStationsKnown(this.pool, [stationId]);
    return { requestId: 'diag_scripted', stationId, status: 'requested', outcome: null, detail: null, fileName: null, uploadExpiresAt: now(), file: null, history: [], createdAt: now(), finishedAt: null };
  }
  async getRequest() {
    return null;
  }
  async listRequests(stationId: string) {
    await assertStationsKnown(this.pool, [stationId]);
    return [];
  }
  async checkUploadToken(): Promise<never> {
    throw new StationOperationError('unknown_upload', 'no diagnostics upload has this token');
  }
  receiveUpload(): Promise<never> {
    return this.checkUploadToken();
  }
  async getFile() {
    return null;
  }
}
