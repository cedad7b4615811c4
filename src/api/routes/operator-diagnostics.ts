/**
 * Diagnostics requests (GetDiagnostics, followed to the uploaded file) and the download of the
 * file. Each request is a workflow (workflows/diagnostics-request.ts), `diagnostics:<stationId>`
 * in the Web UI; the station uploads to a one-time URL of this API (routes/diagnostics-uploads.ts).
 */
import { z } from 'zod';
import { profileOfCommand } from '../../ocpp/feature-profiles';
import type { ApiDeps } from '../deps';
import { requireFeatureProfile } from '../guards/feature-profile';
import { notFound } from '../http/api-error';
import { endpoint, Endpoint, errorResponse } from '../http/endpoint';
import { stationIdSchema } from '../schemas/common';
import { diagnosticsRequestSchema, diagnosticsRequestViewSchema, listLimitQuery } from '../schemas/station-operation-schemas';

const requestParams = z.object({
  id: stationIdSchema,
  requestId: z.string().regex(/^[A-Za-z0-9_-]{1,80}$/, 'must be 1-80 characters: letters, digits, _ -').meta({ example: 'diag_1f2e3d4c5b6a7980' }),
});

/** A file name safe inside a quoted Content-Disposition (the station chose it). */
const safeFileName = (name: string): string => name.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 200) || 'diagnostics';

export function operatorDiagnosticsEndpoints({ diagnostics, pool }: ApiDeps): Endpoint<any>[] {
  return [
    endpoint({
      operationId: 'requestDiagnostics',
      method: 'post',
      path: '/v1/operator/stations/:id/diagnostics',
      tag: 'operator',
      access: 'operator',
      summary: 'Ask a station for its diagnostics file (GetDiagnostics, uploaded to this API)',
      description:
        'Starts a diagnostics workflow: GetDiagnostics is sent with a one-time upload URL of this API (API_PUBLIC_URL, valid DIAGNOSTICS_UPLOAD_TTL_MS), its DiagnosticsStatusNotifications are followed, ' +
        'and the file is stored when it arrives. Uploads are HTTP(S) only: a station whose SupportedFileTransferProtocols lists neither HTTP nor HTTPS is refused (409). One request per station at a time.',
      request: z.object({ params: z.object({ id: stationIdSchema }), body: diagnosticsRequestSchema.optional() }),
      responses: {
        201: { description: 'Started', schema: diagnosticsRequestViewSchema },
        404: errorResponse('Unknown station'),
        409: errorResponse(
          'The station already has a diagnostics request in progress (already_running), uploads only by FTP (unsupported_transfer_protocol), or does not list FirmwareManagement in its SupportedFeatureProfiles (feature_profile_not_supported)',
        ),
      },
      async handle(ctx, { params, body }) {
        await requireFeatureProfile(pool, params.id, profileOfCommand.getDiagnostics);
        const request = await diagnostics.requestDiagnostics(params.id, body ?? {});
        ctx.status = 201;
        ctx.set('Location', `/v1/operator/stations/${params.id}/diagnostics/${request.requestId}`);
        ctx.body = request;
      },
    }),
    endpoint({
      operationId: 'listDiagnosticsRequests',
      method: 'get',
      path: '/v1/operator/stations/:id/diagnostics',
      tag: 'operator',
      access: 'operator',
      summary: "A station's diagnostics requests, newest first",
      request: z.object({ params: z.object({ id: stationIdSchema }), query: listLimitQuery }),
      responses: { 200: { description: 'Requests', schema: z.object({ requests: z.array(diagnosticsRequestViewSchema) }) }, 404: errorResponse('Unknown station') },
      async handle(ctx, { params, query }) {
        ctx.body = { requests: await diagnostics.listRequests(params.id, query.limit) };
      },
    }),
    endpoint({
      operationId: 'getDiagnosticsRequest',
      method: 'get',
      path: '/v1/operator/stations/:id/diagnostics/:requestId',
      tag: 'operator',
      access: 'operator',
      summary: 'One diagnostics request: status, outcome, history and the stored file',
      request: z.object({ params: requestParams }),
      responses: { 200: { description: 'The request', schema: diagnosticsRequestViewSchema }, 404: errorResponse('Unknown station or request') },
      async handle(ctx, { params }) {
        const request = await diagnostics.getRequest(params.id, params.requestId);
        if (!request) throw notFound(`diagnostics request ${params.requestId} of station ${params.id}`);
        ctx.body = request;
      },
    }),
    endpoint({
      operationId: 'downloadDiagnosticsFile',
      method: 'get',
      path: '/v1/operator/stations/:id/diagnostics/:requestId/file',
      tag: 'operator',
      access: 'operator',
      summary: 'Download the diagnostics file the station uploaded',
      description: 'Served as application/octet-stream, as an attachment named after the station\'s file name (whatever type the station declared).',
      request: z.object({ params: requestParams }),
      responses: {
        200: { description: 'The file as uploaded', schema: z.string().meta({ format: 'binary' }), contentType: 'application/octet-stream' },
        404: errorResponse('Unknown station or request, or no file has arrived'),
      },
      async handle(ctx, { params }) {
        const file = await diagnostics.getFile(params.id, params.requestId);
        if (!file) throw notFound(`diagnostics file of request ${params.requestId} of station ${params.id}`);
        // Never the station's declared type: a file must not render as a page of this API's origin.
        ctx.type = 'application/octet-stream';
        ctx.set('Content-Disposition', `attachment; filename="${safeFileName(file.fileName)}"`);
        ctx.set('X-Content-Type-Options', 'nosniff');
        ctx.body = file.content;
      },
    }),
  ];
}
