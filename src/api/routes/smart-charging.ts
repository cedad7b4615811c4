/**
 * Smart charging for operators (OCPP 1.6 §3.13): one-off SetChargingProfile, ClearChargingProfile
 * and GetCompositeSchedule, each checked by the profile rules (src/ocpp/charging-profile-rules.ts)
 * against what the station reported before anything is sent; the station's maximum and default
 * per-transaction profile as desired state, applied by the stationChargingProfiles workflow (again
 * after every boot and reconnect); and the station's wiring, which converts W and A.
 * The station's answers (Rejected, NotSupported, Unknown) are data: 200.
 */
import { z } from 'zod';
import { checkSetChargingProfile, type ProfileProblem } from '../../ocpp/charging-profile-rules';
import { scheduleInUnit, unitTheStationTakes } from '../../ocpp/charging-profile-units';
import { profileOfCommand } from '../../ocpp/feature-profiles';
import { ownedProfileClash, stationProfileId, stationProfileRequest } from '../../ocpp/owned-charging-profiles';
import { loadSmartChargingContext } from '../../stations/smart-charging-activities';
import { saveStationElectrics } from '../../stations/station-electrics-store';
import type { ApiDeps } from '../deps';
import { featureProfileGatedResponses, requireFeatureProfile } from '../guards/feature-profile';
import { ApiError, notFound } from '../http/api-error';
import { endpoint, Endpoint, errorResponse } from '../http/endpoint';
import {
  clearChargingProfileBodySchema,
  clearChargingProfileResultSchema,
  compositeScheduleQuerySchema,
  compositeScheduleSchema,
  declaredStationProfileSchema,
  setChargingProfileBodySchema,
  setChargingProfileResultSchema,
  stationElectricsSchema,
  stationProfilePurposeSchema,
  stationProfilesSchema,
} from '../schemas/charging-profile-schemas';
import { stationIdSchema } from '../schemas/common';
import { declareStationProfile, listStationProfiles, removeStationProfile, runningTransactionOn } from '../stores/station-profile-store';
import { assertConnectorExists } from './station-commands';
import { assertStationExists } from './stations';

const stationParams = z.object({ id: stationIdSchema });
const profileParams = z.object({ id: stationIdSchema, purpose: stationProfilePurposeSchema });

/** Ids of the station profiles the station took (the profiles the CSMS knows are installed), for MaxChargingProfilesInstalled. */
async function installedStationProfileIds(pool: ApiDeps['pool'], stationId: string, except?: string): Promise<number[]> {
  return (await listStationProfiles(pool, stationId)).filter((p) => p.status === 'applied' && p.declared !== null && p.purpose !== except).map((p) => stationProfileId(p.purpose));
}

const invalid = (problems: ProfileProblem[]): ApiError =>
  new ApiError(400, 'invalid_request', problems.map((p) => `${p.field}: ${p.problem}`).join('; '), problems);

const unknownConnector = errorResponse('Unknown station, or a connector the station does not have (names body.connectorId)');
const profileRules = errorResponse(
  "Invalid body: a field's type or bounds, or a profile rule (where each purpose may go, what each kind needs, periods in order, a TxProfile without a transaction, an id or stack level the CSMS owns) or one of the station's limits as last read (ChargeProfileMaxStackLevel, ChargingScheduleAllowedChargingRateUnit, ChargingScheduleMaxPeriods, MaxChargingProfilesInstalled); each problem names its field",
);

export function smartChargingEndpoints(deps: ApiDeps): Endpoint<any>[] {
  const { pool, chargerCommands, config } = deps;
  return [
    endpoint({
      operationId: 'setStationChargingProfile',
      method: 'post',
      path: '/v1/operator/stations/:id/charging-profiles',
      tag: 'operator',
      access: 'operator',
      summary: 'Send the station a charging profile (SetChargingProfile)',
      description:
        'Checked before sending: the OCPP 1.6 rules of the profile and the limits the station reported (its configuration as last read). ' +
        'Sent as given, never converted: a unit the station does not allow is a 400. ' +
        "The ids and stack levels the CSMS uses itself are refused (the station maximum and default: PUT …/station-profiles; drivers' limits; site allocations). " +
        'The station answers Accepted, Rejected or NotSupported (200).',
      request: z.object({ params: stationParams, body: setChargingProfileBodySchema }),
      responses: {
        200: { description: "The station's answer", schema: setChargingProfileResultSchema },
        400: profileRules,
        ...featureProfileGatedResponses,
        404: unknownConnector,
      },
      async handle(ctx, { params, body }) {
        await assertConnectorExists(pool, params.id, body.connectorId);
        await requireFeatureProfile(pool, params.id, profileOfCommand.setChargingProfile);
        const profile = body.csChargingProfiles;
        const clash = ownedProfileClash(profile);
        if (clash) throw invalid([{ field: 'body.csChargingProfiles.chargingProfileId', problem: clash }]);
        const context = await loadSmartChargingContext(pool, params.id);
        const running = profile.chargingProfilePurpose === 'TxProfile' && body.connectorId > 0 ? await runningTransactionOn(pool, params.id, body.connectorId) : undefined;
        const problems = checkSetChargingProfile(body, {
          limits: context.limits,
          transactionRunning: profile.chargingProfilePurpose === 'TxProfile' && body.connectorId > 0 ? running !== undefined : undefined,
          runningTransactionId: running,
          installedProfileIds: await installedStationProfileIds(pool, params.id),
        });
        if (problems.length > 0) throw invalid(problems);
        const { status } = await chargerCommands.setChargingProfile(params.id, body);
        ctx.body = { stationId: params.id, chargingProfileId: profile.chargingProfileId, status };
      },
    }),
    endpoint({
      operationId: 'clearStationChargingProfile',
      method: 'post',
      path: '/v1/operator/stations/:id/charging-profiles/clear',
      tag: 'operator',
      access: 'operator',
      summary: 'Clear charging profiles on the station (ClearChargingProfile) by id, or by connector, purpose and stack level',
      description:
        'The station answers Accepted, or Unknown when no profile matched (200). Clearing a station profile this way leaves it declared: it is sent again at the next boot or reconnect (remove it with DELETE …/station-profiles/{purpose}).',
      request: z.object({ params: stationParams, body: clearChargingProfileBodySchema }),
      responses: { 200: { description: "The station's answer", schema: clearChargingProfileResultSchema }, 400: errorResponse('Invalid body'), ...featureProfileGatedResponses, 404: unknownConnector },
      async handle(ctx, { params, body }) {
        await assertConnectorExists(pool, params.id, body.connectorId);
        await requireFeatureProfile(pool, params.id, profileOfCommand.clearChargingProfile);
        ctx.body = { stationId: params.id, ...(await chargerCommands.clearChargingProfile(params.id, body)) };
      },
    }),
    endpoint({
      operationId: 'getStationCompositeSchedule',
      method: 'get',
      path: '/v1/operator/stations/:id/composite-schedule',
      tag: 'operator',
      access: 'operator',
      summary: "The charger's composite schedule for a connector (GetCompositeSchedule)",
      description:
        'What the charger will allow from now for `duration` seconds, combining all its profiles, in the unit it answers (the one asked for, or its own). ' +
        "Each period also in W (from A with the station's wiring). Rejected is the station's answer (200).",
      request: z.object({ params: stationParams, query: compositeScheduleQuerySchema }),
      responses: {
        200: { description: "The station's answer", schema: compositeScheduleSchema },
        400: errorResponse('Invalid query (also: a chargingRateUnit the station does not allow, names query.chargingRateUnit)'),
        ...featureProfileGatedResponses,
        404: errorResponse('Unknown station, or a connector the station does not have'),
      },
      async handle(ctx, { params, query }) {
        await assertConnectorExists(pool, params.id, query.connectorId);
        await requireFeatureProfile(pool, params.id, profileOfCommand.getCompositeSchedule);
        const context = await loadSmartChargingContext(pool, params.id);
        const allowed = context.limits.allowedUnits;
        if (query.chargingRateUnit && allowed && !allowed.includes(query.chargingRateUnit)) {
          throw invalid([{ field: 'query.chargingRateUnit', problem: `the station answers only in ${allowed.join(', ')} (ChargingScheduleAllowedChargingRateUnit)` }]);
        }
        const answer = await chargerCommands.getCompositeSchedule(params.id, { connectorId: query.connectorId, duration: query.duration ?? 3600, chargingRateUnit: query.chargingRateUnit });
        const schedule = answer.chargingSchedule;
        ctx.body = {
          stationId: params.id,
          status: answer.status,
          connectorId: answer.connectorId ?? null,
          scheduleStart: answer.scheduleStart ?? null,
          chargingSchedule: schedule
            ? {
                duration: schedule.duration ?? null,
                chargingRateUnit: schedule.chargingRateUnit,
                chargingSchedulePeriod: schedule.chargingSchedulePeriod.map((p) => ({
                  startPeriod: p.startPeriod,
                  limit: p.limit,
                  numberPhases: p.numberPhases ?? null,
                  powerW: schedule.chargingRateUnit === 'W' ? p.limit : scheduleInUnit({ chargingRateUnit: 'A', chargingSchedulePeriod: [p] }, 'W', context.electrics).chargingSchedulePeriod[0]!.limit,
                })),
                minChargingRate: schedule.minChargingRate ?? null,
              }
            : null,
        };
      },
    }),
    endpoint({
      operationId: 'listStationProfiles',
      method: 'get',
      path: '/v1/operator/stations/:id/station-profiles',
      tag: 'operator',
      access: 'operator',
      summary: "The station's declared maximum (ChargePointMaxProfile) and default per-transaction profile (TxDefaultProfile), and whether the station has them",
      request: z.object({ params: stationParams }),
      responses: { 200: { description: 'Declared profiles and their last outcome', schema: stationProfilesSchema }, 404: errorResponse('Unknown station') },
      async handle(ctx, { params }) {
        await assertStationExists(pool, params.id);
        ctx.body = { stationId: params.id, profiles: await listStationProfiles(pool, params.id) };
      },
    }),
    endpoint({
      operationId: 'declareStationProfile',
      method: 'put',
      path: '/v1/operator/stations/:id/station-profiles/:purpose',
      tag: 'operator',
      access: 'operator',
      summary: "Declare the station's maximum (ChargePointMaxProfile) or default per-transaction profile (TxDefaultProfile)",
      description:
        "Stored, then sent (connector 0, the CSMS's own id and stack level) by the stationChargingProfiles workflow, and sent again after every boot and reconnect: profiles do not survive a reboot on every charger. " +
        "A schedule in W goes to a station that allows only amps in A per phase, converted with its wiring (rounded down); `sent` shows what went. " +
        `Waits up to API_START_WAIT_MS (${config.API_START_WAIT_MS} ms here) for the station's answer; status pending: not sent yet (an offline station gets it when it connects).`,
      request: z.object({ params: profileParams, body: declaredStationProfileSchema }),
      responses: {
        200: { description: 'The declared profiles and their outcome', schema: stationProfilesSchema },
        400: profileRules,
        404: errorResponse('Unknown station'),
        409: errorResponse('The station does not support the SmartCharging feature profile (feature_profile_not_supported)'),
      },
      async handle(ctx, { params, body }) {
        await assertStationExists(pool, params.id);
        await requireFeatureProfile(pool, params.id, profileOfCommand.setChargingProfile);
        const context = await loadSmartChargingContext(pool, params.id);
        const unit = unitTheStationTakes(body.chargingSchedule.chargingRateUnit, context.limits.allowedUnits);
        const request = stationProfileRequest(params.purpose, { ...body, chargingSchedule: scheduleInUnit(body.chargingSchedule, unit, context.electrics) });
        const installedProfileIds = await installedStationProfileIds(pool, params.id, params.purpose);
        const problems = checkSetChargingProfile(request, { limits: context.limits, installedProfileIds }).map((p) => ({
          // The rules speak of the profile as sent; the operator wrote the declaration.
          field: p.field.replace(/^body\.csChargingProfiles\./, 'body.').replace(/^body\.connectorId$/, 'params.purpose'),
          problem: p.problem,
        }));
        if (problems.length > 0) throw invalid(problems);
        await declareStationProfile(pool, params.id, params.purpose, body);
        await chargerCommands.applyStationChargingProfiles(params.id, config.API_START_WAIT_MS);
        ctx.body = { stationId: params.id, profiles: await listStationProfiles(pool, params.id) };
      },
    }),
    endpoint({
      operationId: 'removeStationProfile',
      method: 'delete',
      path: '/v1/operator/stations/:id/station-profiles/:purpose',
      tag: 'operator',
      access: 'operator',
      summary: 'Remove a station profile: it is cleared on the station (ClearChargingProfile by its id)',
      description: 'The entry stays (declared null, status pending) until the station has cleared it; an offline station clears it when it connects.',
      request: z.object({ params: profileParams }),
      responses: { 200: { description: 'The declared profiles and their outcome', schema: stationProfilesSchema }, 404: errorResponse('Unknown station, or no such profile declared') },
      async handle(ctx, { params }) {
        await assertStationExists(pool, params.id);
        if (!(await removeStationProfile(pool, params.id, params.purpose))) throw notFound(`${params.purpose} of station ${params.id}`);
        await chargerCommands.applyStationChargingProfiles(params.id, config.API_START_WAIT_MS);
        ctx.body = { stationId: params.id, profiles: await listStationProfiles(pool, params.id) };
      },
    }),
    endpoint({
      operationId: 'setStationElectrics',
      method: 'put',
      path: '/v1/operator/stations/:id/electrics',
      tag: 'operator',
      access: 'operator',
      summary: 'Say how the station is wired (phases, phase-to-neutral voltage): W ↔ A in charging profiles',
      description: "Shown in the station view (`electrics`). Declared station profiles are sent again, converted with the new wiring where the station takes only amps.",
      request: z.object({ params: stationParams, body: stationElectricsSchema }),
      responses: { 200: { description: 'Stored', schema: stationElectricsSchema.extend({ stationId: stationIdSchema }).meta({ id: 'StationElectricsResult' }) }, 400: errorResponse('Invalid body'), 404: errorResponse('Unknown station') },
      async handle(ctx, { params, body }) {
        if (!(await saveStationElectrics(pool, params.id, body))) throw notFound(`station ${params.id}`);
        if ((await listStationProfiles(pool, params.id)).length > 0) await chargerCommands.applyStationChargingProfiles(params.id, 0);
        ctx.body = { stationId: params.id, phases: body.phases, voltageV: body.voltageV };
      },
    }),
  ];
}
