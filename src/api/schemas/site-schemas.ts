/** Site shapes: a site's declaration (its limit, by time of day) and its live allocation. */
import { z } from 'zod';
import { isoTimeSchema, nameSchema, stationIdSchema, timeZoneSchema } from './common';

export const siteIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1-64 characters: letters, digits, _ -')
  .meta({ description: 'Site id', example: 'depot-north' });

/** kW with up to three decimals (whole watts). */
const kwSchema = (maxIntegerDigits: number, description: string) =>
  z
    .string()
    .regex(new RegExp(`^\\d{1,${maxIntegerDigits}}(\\.\\d{1,3})?$`), `must be a decimal string of kW with up to ${maxIntegerDigits} digits before the point and 3 after, e.g. "22"`)
    .meta({ description, example: '22' });

export const siteLimitKwSchema = kwSchema(7, 'Grid limit in kW');
export const stationMaxPowerKwSchema = kwSchema(5, "The charger's own maximum in kW (absent: 32 A per phase on its wiring)")
  .refine((v) => Number(v) > 0, 'must be more than 0')
  .meta({ 'x-constraints': ['more than 0'], example: '11' });

const clockTime = (allowMidnightEnd: boolean) =>
  z
    .string()
    .regex(allowMidnightEnd ? /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/ : /^([01]\d|2[0-3]):[0-5]\d$/, allowMidnightEnd ? 'must be HH:MM (00:00–24:00)' : 'must be HH:MM (00:00–23:59)');

export const siteLimitWindowSchema = z
  .strictObject({
    from: clockTime(false).meta({ description: 'Local start time, inclusive', example: '18:00' }),
    to: clockTime(true).meta({ description: 'Local end time, exclusive; earlier than from: the window runs past midnight', example: '22:00' }),
    limitKw: siteLimitKwSchema.meta({ description: 'Grid limit in kW within the window', example: '11' }),
  })
  .refine((w) => w.from !== w.to, { path: ['to'], message: 'must differ from from' })
  .meta({
    id: 'SiteLimitWindow',
    description: "A limit for a window of the site's local time; where windows overlap the lowest limit applies",
    'x-constraints': ['`to` differs from `from`'],
    example: { from: '18:00', to: '22:00', limitKw: '11' },
  });

const windowsSchema = z.array(siteLimitWindowSchema).max(24, 'must have 24 windows or fewer');

export const createSiteRequestSchema = z
  .strictObject({
    id: siteIdSchema,
    name: nameSchema(100).meta({ example: 'Depot North' }),
    timeZone: timeZoneSchema.default('UTC'),
    limitKw: siteLimitKwSchema.meta({ description: 'Grid limit in kW, outside every window', example: '22' }),
    limitWindows: windowsSchema.default([]).meta({ description: 'Limits by time of day (local time)' }),
  })
  .meta({ id: 'CreateSiteRequest', example: { id: 'depot-north', name: 'Depot North', timeZone: 'Europe/Berlin', limitKw: '22', limitWindows: [{ from: '18:00', to: '22:00', limitKw: '11' }] } });

export const updateSiteRequestSchema = z
  .strictObject({
    name: nameSchema(100).optional(),
    timeZone: timeZoneSchema.optional(),
    limitKw: siteLimitKwSchema.optional(),
    limitWindows: windowsSchema.optional().meta({ description: 'Replaces the windows ([] removes them)' }),
  })
  .refine((b) => Object.keys(b).length > 0, 'name at least one of name, timeZone, limitKw, limitWindows')
  .meta({ id: 'UpdateSiteRequest', description: 'Fields to change (at least one)', minProperties: 1, example: { limitKw: '18.5' } });

export const assignStationRequestSchema = z
  .strictObject({ maxPowerKw: stationMaxPowerKwSchema.optional() })
  .meta({ id: 'AssignSiteStationRequest', example: { maxPowerKw: '11' } });

export const siteSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    timeZone: z.string(),
    limitKw: z.string(),
    limitWindows: z.array(z.object({ from: z.string(), to: z.string(), limitKw: z.string() })),
    stations: z.array(z.object({ stationId: z.string(), maxPowerKw: z.string().nullable() })),
    createdAt: isoTimeSchema,
    updatedAt: isoTimeSchema,
  })
  .meta({ id: 'Site' });

const unitSchema = z.enum(['W', 'A']);

export const siteAllocationSchema = z
  .object({
    siteId: z.string(),
    name: z.string(),
    timeZone: z.string(),
    limitW: z.number().int().meta({ description: 'The limit in force now (time of day included), W' }),
    countedW: z.number().int().meta({ description: "Sum of the limits counted on the site's chargers, W (a charger's maximum where its limit is unknown)" }),
    withinLimit: z.boolean().meta({ description: 'false only while chargers that failed to take a limit are counted at a maximum above what is left' }),
    stationIds: z.array(stationIdSchema),
    sessions: z.array(
      z.object({
        sessionId: z.string(),
        stationId: z.string(),
        connectorId: z.number().int(),
        transactionId: z.number().int(),
        state: z.enum(['charging', 'paused', 'pending', 'offline', 'failed']).meta({
          description:
            'charging: its allocation is in force; paused: allocated 0 (its share would be below 6 A per phase); pending: not in force yet; offline: its charger is away (its last limit reserved for the grace, then freed); failed: its charger rejected or did not answer, counted at its maximum',
        }),
        allocatedW: z.number().int(),
        countedW: z.number().int(),
        limitInForce: z.object({ value: z.number(), unit: unitSchema }).nullable().meta({ description: "The limit the charger last accepted, in its unit (A per phase or W)" }),
        measuredW: z.number().int().nullable().meta({ description: 'Latest Power.Active.Import' }),
        maxW: z.number().int().meta({ description: "The driver's limit within the charger's maximum" }),
        flags: z.array(z.string()).meta({ description: 'profile_rejected, profile_unanswered, charger_rebooted, offline_reservation_freed' }),
      }),
    ),
    updatedAt: isoTimeSchema,
  })
  .meta({ id: 'SiteAllocation' });
