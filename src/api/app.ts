/**
 * The API as a Koa app built from its dependencies (no module globals), so tests and
 * production build the same thing. Middleware, outermost first:
 * errors → request id + latency → body limit → (per route) auth → validation → handler.
 */
import Router from '@koa/router';
import Koa from 'koa';
import { z } from 'zod';
import type { ApiDeps } from './deps';
import { createAuthenticator } from './auth/auth-middleware';
import { bodyMiddleware } from './http/body-middleware';
import { endpoint, Endpoint } from './http/endpoint';
import { errorsMiddleware } from './http/errors-middleware';
import { mountEndpoints } from './http/mount';
import { responseContractMiddleware } from './http/response-contract';
import { requestContextMiddleware } from './http/request-context';
import { renderDocsPage } from './openapi/docs-page';
import { buildOpenApiDocument, OpenApiDocument } from './openapi/openapi-document';
import { operatorChargerEndpoints } from './routes/operator-chargers';
import { operatorDiagnosticsEndpoints } from './routes/operator-diagnostics';
import { diagnosticsUploadEndpoints, diagnosticsUploadPathPrefix } from './routes/diagnostics-uploads';
import { operatorDriverEndpoints } from './routes/operator-drivers';
import { paymentEndpoints, paymentWebhookPath } from './routes/payments';
import { operatorFirmwareEndpoints } from './routes/operator-firmware';
import { operatorSiteEndpoints } from './routes/operator-sites';
import { operatorTariffEndpoints } from './routes/operator-tariffs';
import { sessionEventEndpoints } from './routes/session-events';
import { sessionEndpoints } from './routes/sessions';
import { reservationEndpoints } from './routes/reservations';
import { smartChargingEndpoints } from './routes/smart-charging';
import { stationCommandEndpoints } from './routes/station-commands';
import { stationEndpoints } from './routes/stations';
import { stationConfigurationEndpoints } from './routes/station-configuration';
import { stationReportEndpoints } from './routes/station-reports';
import { desiredConfigurationEndpoints } from './routes/desired-configuration';
import { localListEndpoints } from './routes/local-lists';
import { systemEndpoints } from './routes/system';
import { tutorialEndpoints } from './routes/tutorial';

export const apiVersion = '1.0.0';

function documentationEndpoints(openApi: () => OpenApiDocument): Endpoint<any>[] {
  return [
    endpoint({
      operationId: 'openApiDocument',
      method: 'get',
      path: '/openapi.json',
      tag: 'system',
      access: 'public',
      summary: 'This OpenAPI 3 document',
      request: z.object({}),
      responses: { 200: { description: 'OpenAPI 3.0 document', schema: z.object({}).passthrough() } },
      async handle(ctx) {
        ctx.body = openApi();
      },
    }),
    endpoint({
      operationId: 'docsPage',
      method: 'get',
      path: '/docs',
      tag: 'system',
      access: 'public',
      summary: 'Readable API documentation (HTML)',
      request: z.object({}),
      responses: { 200: { description: 'HTML page', schema: z.string(), contentType: 'text/html' } },
      async handle(ctx) {
        ctx.type = 'text/html; charset=utf-8';
        ctx.body = renderDocsPage(openApi());
      },
    }),
  ];
}

export function createApiApp(deps: ApiDeps): Koa {
  const app = new Koa();
  app.proxy = false; // ctx.ip is the socket address: X-Forwarded-For cannot dodge the auth rate limit
  // Errors are answered and logged by errorsMiddleware; Koa's default handler would print stacks.
  app.silent = true;

  let document: OpenApiDocument | undefined;
  const endpoints: Endpoint<any>[] = [
    ...systemEndpoints(deps),
    ...documentationEndpoints(() => (document ??= buildOpenApiDocument(endpoints, apiVersion))),
    ...sessionEndpoints(deps),
    ...sessionEventEndpoints(deps),
    ...reservationEndpoints(deps),
    ...stationEndpoints(deps),
    ...stationConfigurationEndpoints(deps),
    ...desiredConfigurationEndpoints(deps),
    ...stationCommandEndpoints(deps),
    ...smartChargingEndpoints(deps),
    ...localListEndpoints(deps),
    ...operatorChargerEndpoints(deps),
    ...operatorDriverEndpoints(deps),
    ...paymentEndpoints(deps),
    ...operatorTariffEndpoints(deps),
    ...operatorFirmwareEndpoints(deps),
    ...operatorSiteEndpoints(deps),
    ...operatorDiagnosticsEndpoints(deps),
    ...stationReportEndpoints(deps),
    ...diagnosticsUploadEndpoints(deps),
    ...tutorialEndpoints(deps),
  ];

  const router = new Router();
  mountEndpoints(router, endpoints, createAuthenticator(deps.pool));

  if (deps.onContractViolation) app.use(responseContractMiddleware(endpoints, deps.onContractViolation));
  app.use(errorsMiddleware(deps.logger));
  app.use(requestContextMiddleware());
  app.use(bodyMiddleware(deps.config.API_BODY_LIMIT, [diagnosticsUploadPathPrefix, paymentWebhookPath]));
  app.use(router.routes());
  app.use(router.allowedMethods());
  return app;
}
