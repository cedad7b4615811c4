/**
 * Where stations upload diagnostics: the one-time URL a diagnostics request gave the station as
 * GetDiagnostics' location. No bearer token: the URL's token is the credential (only its SHA-256
 * is stored). HTTP PUT with the raw file, or POST as multipart/form-data (its first file part),
 * which is what most chargers send; the station may append "/<fileName>" (the location is a
 * directory, OCPP 1.6 §6.33). At most DIAGNOSTICS_UPLOAD_MAX_BYTES; one file per token.
 */
import busboy from 'busboy';
import type { Context } from 'koa';
import { z } from 'zod';
import type { ApiDeps } from '../deps';
import { endpoint, Endpoint, errorResponse } from '../http/endpoint';
import { readRawBody } from '../http/raw-body';
import { uploadReceiptSchema } from '../schemas/station-operation-schemas';
import { StationOperationError } from '../../stations/station-operation-error';
import type { DiagnosticsFile } from '../../stations/diagnostics-service';

export const diagnosticsUploadPathPrefix = '/v1/diagnostics-uploads/';

const tokenSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{43}$/, 'must be the 43-character token of the upload URL')
  .meta({ description: 'The one-time token of the upload URL', example: 'q3Zb5JrV0wYx2mS8cT1uK7eHfGdLpNaOiR4tW6zXyQE' });
const fileNameSchema = z
  .string()
  .regex(/^[\x20-\x2e\x30-\x7e]{1,255}$/, 'must be 1-255 printable ASCII characters without /')
  .meta({ description: 'The file name the station announced (appended to the location)', example: 'CP_1_diagnostics.log' });

const tooLarge = (max: number) => new StationOperationError('upload_too_large', `the file is larger than ${max} bytes (DIAGNOSTICS_UPLOAD_MAX_BYTES)`);

/** The raw body, refused as soon as it passes `max` bytes. */

/** The first file part of a multipart/form-data body. */
function readMultipart(ctx: Context, max: number): Promise<{ fileName: string | null; contentType: string; content: Buffer }> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: ctx.req.headers, limits: { files: 1, fileSize: max, fields: 20, fieldSize: 4096 } });
    } catch (err) {
      reject(new StationOperationError('invalid_upload', `not a readable multipart/form-data body: ${(err as Error).message}`));
      return;
    }
    let found: { fileName: string | null; contentType: string; content: Buffer } | undefined;
    let failed: Error | undefined;
    parser.on('file', (_field, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('limit', () => (failed = tooLarge(max)));
      stream.on('end', () => {
        if (!found && !failed) found = { fileName: info.filename || null, contentType: info.mimeType || 'application/octet-stream', content: Buffer.concat(chunks) };
      });
    });
    parser.on('error', (err: Error) => reject(failed ?? new StationOperationError('invalid_upload', `not a readable multipart/form-data body: ${err.message}`)));
    parser.on('close', () => {
      if (failed) reject(failed);
      else if (!found) reject(new StationOperationError('invalid_upload', 'the multipart/form-data body has no file part'));
      else resolve(found);
    });
    ctx.req.pipe(parser);
  });
}

export function diagnosticsUploadEndpoints({ diagnostics, config }: ApiDeps): Endpoint<any>[] {
  const max = config.DIAGNOSTICS_UPLOAD_MAX_BYTES;

  async function receive(ctx: Context, token: string, fileName: string | undefined): Promise<void> {
    // The token before the body: a wrong, spent or expired URL costs no upload.
    await diagnostics.checkUploadToken(token);
    const declared = Number(ctx.get('Content-Length') || 0);
    if (declared > max) throw tooLarge(max);
    let file: DiagnosticsFile;
    if (ctx.is('multipart/form-data')) {
      const part = await readMultipart(ctx, max);
      file = { fileName: fileName ?? part.fileName ?? 'diagnostics', contentType: part.contentType, content: part.content };
    } else {
      file = { fileName: fileName ?? 'diagnostics', contentType: ctx.get('Content-Type') || 'application/octet-stream', content: await readRawBody(ctx.req, max, () => tooLarge(max)) };
    }
    if (file.content.length === 0) throw new StationOperationError('invalid_upload', 'the upload is empty');
    file.contentType = file.contentType.slice(0, 200);
    file.fileName = file.fileName.slice(0, 255);
    ctx.status = 201;
    ctx.body = await diagnostics.receiveUpload(token, file);
  }

  const responses = {
    201: { description: 'Stored; the URL is spent', schema: uploadReceiptSchema },
    400: errorResponse('The URL is malformed, or the body is empty or not readable multipart (code invalid_upload)'),
    404: errorResponse('No upload has this token (code unknown_upload)'),
    409: errorResponse('This URL has been used: it takes one file (code upload_already_used)'),
    410: errorResponse('This URL has expired, or its diagnostics request has ended (code upload_expired)'),
    413: errorResponse('The file is larger than DIAGNOSTICS_UPLOAD_MAX_BYTES (code upload_too_large)'),
  };
  const rawBody = {
    description: `The diagnostics file: the raw bytes (PUT or POST), or multipart/form-data with the file as its first file part (POST); at most DIAGNOSTICS_UPLOAD_MAX_BYTES (${max} bytes here).`,
    contentTypes: ['application/octet-stream', 'text/plain', 'multipart/form-data'],
  };
  const routes = [
    { suffix: '', params: z.object({ token: tokenSchema }) },
    { suffix: '/:fileName', params: z.object({ token: tokenSchema, fileName: fileNameSchema }) },
  ];
  return routes.flatMap(({ suffix, params }) =>
    (['put', 'post'] as const).map((method) =>
      endpoint({
        operationId: `${method === 'put' ? 'put' : 'post'}DiagnosticsUpload${suffix ? 'WithFileName' : ''}`,
        method,
        path: `${diagnosticsUploadPathPrefix}:token${suffix}`,
        tag: 'stations',
        access: 'public',
        summary: `Upload a diagnostics file (${method.toUpperCase()}${suffix ? ', file name in the path' : ''}; the station calls this)`,
        description: 'Authenticated by the one-time token in the URL (from GetDiagnostics.location), not by a bearer token.',
        request: z.object({ params }),
        rawBody,
        responses,
        async handle(ctx, input: { params: { token: string; fileName?: string } }) {
          await receive(ctx, input.params.token, input.params.fileName);
        },
      }),
    ),
  );
}
