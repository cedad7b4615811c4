/**
 * Smart charging shapes (OCPP 1.6 §7.8–7.10 ChargingProfile / ChargingSchedule, §5.5, §5.7, §5.16):
 * the types and bounds zod can say; the rules between fields (where each purpose may go, the
 * fields each kind needs, periods in order, the station's own limits) are checked by
 * src/ocpp/charging-profile-rules.ts and answered 400 naming the field, as stated in x-constraints.
 */
import { z } from 'zod';
import { stationProfilePurposes } from '../../ocpp/owned-charging-profiles';
import { isoTimeSchema, stationIdSchema } from './common';

const oneDecimal = (what: string) =>
  z
    .number({ error: 'must be a number' })
    .min(0, 'must be ≥ 0')
    .max(1_000_000)
    .refine((n) => Math.abs(Math.round(n * 10) - n * 10) < 1e-9, 'must have at most one decimal (OCPP 1.6: e.g. 8.1)')
    .meta({ description: `${what}, in chargingRateUnit; at most one decimal`, example: 16, 'x-constraints': ['at most one decimal (400 otherwise)'] });

const dateTime = z
  .string()
  .max(40)
  .refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO 8601 date-time')
  .meta({ description: 'ISO 8601 date-time', example: '2026-12-01T00:00:00Z' });

export const chargingRateUnitSchema = z.enum(['A', 'W']).meta({ description: 'A: current per phase; W: power', example: 'W' });

export const chargingSchedulePeriodSchema = z.strictObject({
  startPeriod: z.number().int('must be a whole number of seconds').min(0).max(604_800).meta({ description: 'Seconds from the start of the schedule; the first is 0, then ascending', example: 0 }),
  limit: oneDecimal('The limit'),
  numberPhases: z.number().int().min(1).max(3).optional().meta({ description: 'Phases that may be used (1–3); default 3' }),
});

export const chargingScheduleSchema = z
  .strictObject({
    duration: z.number().int().min(0).max(31_536_000).optional().meta({ description: 'Seconds; absent: the last period goes on for ever' }),
    startSchedule: dateTime.optional().meta({ description: 'Required for Absolute and Recurring, absent for Relative', example: '2026-12-01T00:00:00Z' }),
    chargingRateUnit: chargingRateUnitSchema,
    chargingSchedulePeriod: z
      .array(chargingSchedulePeriodSchema)
      .min(1)
      .max(100)
      .meta({
        example: [{ startPeriod: 0, limit: 11000 }],
        'x-constraints': ['startPeriod 0 first, then strictly ascending, before duration (400 otherwise)', "no more than the station's ChargingScheduleMaxPeriods (400 otherwise)"],
      }),
    minChargingRate: oneDecimal('The least rate the EV charges with').optional(),
  })
  .meta({
    id: 'ChargingSchedule',
    example: { startSchedule: '2026-12-01T00:00:00Z', chargingRateUnit: 'W', chargingSchedulePeriod: [{ startPeriod: 0, limit: 11000 }] },
    'x-constraints': [
      "chargingRateUnit one the station allows (ChargingScheduleAllowedChargingRateUnit as last read; 400 otherwise)",
      'startSchedule required for Absolute and Recurring, absent for Relative (400 otherwise)',
    ],
  });

const profileShape = {
  chargingProfileKind: z.enum(['Absolute', 'Recurring', 'Relative']),
  recurrencyKind: z.enum(['Daily', 'Weekly']).optional().meta({ description: 'Only (and required) for Recurring' }),
  validFrom: dateTime.optional(),
  validTo: dateTime.optional().meta({ example: '2027-01-01T00:00:00Z', 'x-constraints': ['after validFrom (400 otherwise)'] }),
  chargingSchedule: chargingScheduleSchema,
};

const profileExample = {
  connectorId: 1,
  csChargingProfiles: {
    chargingProfileId: 10,
    stackLevel: 3,
    chargingProfilePurpose: 'TxDefaultProfile',
    chargingProfileKind: 'Recurring',
    recurrencyKind: 'Daily',
    chargingSchedule: {
      startSchedule: '2026-12-01T00:00:00Z',
      duration: 86400,
      chargingRateUnit: 'W',
      chargingSchedulePeriod: [
        { startPeriod: 0, limit: 11000 },
        { startPeriod: 64800, limit: 3700 },
      ],
    },
  },
};

const profileWordRules = [
  'ChargePointMaxProfile only on connector 0; TxProfile only on a connector (≥ 1) with a transaction running (400 otherwise)',
  'recurrencyKind exactly for Recurring; startSchedule for Absolute and Recurring, none for Relative (400 otherwise)',
  'transactionId only for a TxProfile (400 otherwise)',
];

export const chargingProfileSchema = z
  .strictObject({
    chargingProfileId: z.number().int().min(1).max(2_147_483_647).meta({
      example: 10,
      'x-constraints': ["not an id the CSMS owns: 1, 2 (station profiles), 101–199 (drivers' limits), 201–299 (site allocations) (400 otherwise)"],
    }),
    transactionId: z.number().int().optional().meta({ description: 'Only for a TxProfile' }),
    stackLevel: z.number().int().min(0).max(1000).meta({
      example: 3,
      'x-constraints': [
        "at most the station's ChargeProfileMaxStackLevel (400 otherwise)",
        'not a purpose and stack level the CSMS owns: ChargePointMaxProfile 0, TxDefaultProfile 0, TxProfile 1 and 2 (400 otherwise)',
      ],
    }),
    chargingProfilePurpose: z.enum(['ChargePointMaxProfile', 'TxDefaultProfile', 'TxProfile']),
    ...profileShape,
  })
  .meta({ id: 'ChargingProfile', description: 'An OCPP 1.6 csChargingProfiles', example: profileExample.csChargingProfiles, 'x-constraints': profileWordRules });

export const setChargingProfileBodySchema = z
  .strictObject({
    connectorId: z.number().int().min(0).max(99).meta({
      description: '0: the whole station',
      example: 1,
      'x-constraints': ['0 for a ChargePointMaxProfile; ≥ 1 with a transaction running for a TxProfile (400 otherwise)', 'a connector the station has (404 otherwise)'],
    }),
    csChargingProfiles: chargingProfileSchema,
  })
  .meta({ id: 'SetChargingProfileRequest', example: profileExample, 'x-constraints': profileWordRules });

export const setChargingProfileResultSchema = z
  .object({ stationId: stationIdSchema, chargingProfileId: z.number().int(), status: z.enum(['Accepted', 'Rejected', 'NotSupported']).meta({ description: "The station's answer" }) })
  .meta({ id: 'SetChargingProfileResult' });

export const clearChargingProfileBodySchema = z
  .strictObject({
    id: z.number().int().min(1).max(2_147_483_647).optional().meta({ description: 'The profile id; the other criteria are then ignored by the station' }),
    connectorId: z.number().int().min(0).max(99).optional(),
    chargingProfilePurpose: z.enum(['ChargePointMaxProfile', 'TxDefaultProfile', 'TxProfile']).optional(),
    stackLevel: z.number().int().min(0).max(1000).optional(),
  })
  .meta({ id: 'ClearChargingProfileRequest', description: 'No criteria: every profile on the station', example: { connectorId: 1, chargingProfilePurpose: 'TxDefaultProfile' } });

export const clearChargingProfileResultSchema = z
  .object({ stationId: stationIdSchema, status: z.enum(['Accepted', 'Unknown']).meta({ description: 'Unknown: the station had no profile matching' }) })
  .meta({ id: 'ClearChargingProfileResult' });

/** A whole number in a query string (the document says so: a pattern, then the bounds in words). */
const queryInt = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,7}$/, 'must be a whole number')
    .transform(Number)
    .refine((n) => n >= min && n <= max, `must be between ${min} and ${max}`);

export const compositeScheduleQuerySchema = z.object({
  connectorId: z
    .string()
    .regex(/^\d{1,2}$/, 'must be a connector number (0-99)')
    .transform(Number)
    .meta({ description: '0: the whole station', example: '1' }),
  duration: queryInt(1, 604_800)
    .optional()
    .meta({ description: 'Seconds from now (default 3600)', example: '3600', 'x-constraints': ['between 1 and 604800 (400 otherwise)'] }),
  chargingRateUnit: chargingRateUnitSchema.optional().meta({
    description: "The unit wanted; default: the station's own",
    'x-constraints': ['one the station allows (ChargingScheduleAllowedChargingRateUnit as last read; 400 otherwise)'],
  }),
});

export const compositeScheduleSchema = z
  .object({
    stationId: stationIdSchema,
    status: z.enum(['Accepted', 'Rejected']),
    connectorId: z.number().int().nullable(),
    scheduleStart: isoTimeSchema.nullable(),
    chargingSchedule: z
      .object({
        duration: z.number().nullable(),
        chargingRateUnit: chargingRateUnitSchema,
        chargingSchedulePeriod: z.array(
          z.object({
            startPeriod: z.number(),
            limit: z.number().meta({ description: 'In chargingRateUnit' }),
            numberPhases: z.number().nullable(),
            powerW: z.number().meta({ description: "The limit in W (from A with the station's wiring: phases × voltage × A, rounded down)" }),
          }),
        ),
        minChargingRate: z.number().nullable(),
      })
      .nullable()
      .meta({ description: "The charger's composite schedule, in the unit it answered" }),
  })
  .meta({ id: 'CompositeSchedule' });

export const stationProfilePurposeSchema = z.enum(stationProfilePurposes).meta({ description: 'ChargePointMaxProfile: the station maximum; TxDefaultProfile: its default per-transaction profile' });

export const declaredStationProfileSchema = z
  .strictObject({ ...profileShape })
  .meta({
    id: 'StationChargingProfileDeclaration',
    description: "A station profile without id, stack level and purpose (the CSMS's own). Sent in the unit the station takes: W converted to A with its wiring where it takes only amps",
    example: { chargingProfileKind: 'Absolute', chargingSchedule: { startSchedule: '2026-01-01T00:00:00Z', chargingRateUnit: 'W', chargingSchedulePeriod: [{ startPeriod: 0, limit: 22000 }] } },
    'x-constraints': ['recurrencyKind exactly for Recurring; startSchedule for Absolute and Recurring, none for Relative (400 otherwise)', "the station's limits as last read (400 otherwise)"],
  });

export const stationProfileViewSchema = z
  .object({
    purpose: stationProfilePurposeSchema,
    declared: declaredStationProfileSchema.nullable().meta({ description: 'null: removed, still to be cleared on the station' }),
    declaredAt: isoTimeSchema,
    status: z.enum(['pending', 'applied', 'rejected', 'not_supported', 'invalid', 'call_error', 'unreachable']).meta({
      description: "pending: not sent yet; applied: the station accepted it; the others: the station's answer or why it did not arrive (sent again at its next boot or reconnect)",
    }),
    detail: z.string().nullable(),
    sent: chargingProfileSchema.nullable().meta({ description: 'The profile as last sent, in the unit the station takes' }),
    appliedAt: isoTimeSchema.nullable(),
    workflowId: z.string().nullable().meta({ description: 'The run in the Temporal Web UI', example: 'station-profiles_CP_1' }),
  })
  .meta({ id: 'StationChargingProfile' });

export const stationProfilesSchema = z
  .object({ stationId: stationIdSchema, profiles: z.array(stationProfileViewSchema) })
  .meta({ id: 'StationChargingProfiles' });

export const stationElectricsSchema = z
  .strictObject({
    phases: z.literal([1, 3]).meta({ description: 'Phases connected', example: 3 }),
    voltageV: z.number().int().min(100).max(480).meta({ description: 'Phase-to-neutral voltage, V', example: 230 }),
  })
  .meta({ id: 'StationElectrics', description: "How the station is wired: converts W and A in charging profiles (P = phases × voltage × A)" });
