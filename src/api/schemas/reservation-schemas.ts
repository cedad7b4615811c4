/** Reservation shapes (OCPP 1.6 ReserveNow / CancelReservation as the app sees them). */
import { z } from 'zod';
import { currencySchema, decimalStringSchema, driverIdSchema, idTagSchema, isoTimeSchema, stationIdSchema } from './common';

export const reservationIdSchema = z.coerce
  .number({ error: 'must be a number' })
  .int('must be a whole number')
  .min(1, 'must be 1 or more')
  .max(2_147_483_647, 'must be a 32-bit integer')
  .meta({ description: 'The OCPP reservationId', example: 1 });

export const reservationStatusSchema = z
  .enum(['requested', 'accepted', 'used', 'cancelled', 'expired', 'rejected', 'faulted', 'occupied', 'unavailable', 'failed'])
  .meta({
    description:
      'requested: ReserveNow not answered yet; accepted: the connector is held; used: a transaction started on it; cancelled; expired (unused). ' +
      'Never held: the charger answered Rejected, Faulted, Occupied or Unavailable, or failed (it did not answer, or answered with a CALLERROR; see detail).',
  });

/** The request body; the expiry limit is the operator's (RESERVATION_MAX_MINUTES). */
export function createReservationBodySchema(maxMinutes: number) {
  const defaultMinutes = Math.min(15, maxMinutes);
  return z
    .strictObject({
      stationId: stationIdSchema,
      connectorId: z
        .number({ error: 'must be a number' })
        .int('must be a whole number')
        .min(0, 'must be 0 or more')
        .max(99, 'must be 99 or less')
        .optional()
        .meta({
          description:
            'The connector to hold; 0: the charge point as a whole (OCPP connector 0: one of its connectors stays free for this id tag; the charger answers Rejected unless it supports ReserveConnectorZeroSupported); ' +
            'absent: the lowest free connector (Available, operative, without a session or a reservation), reserved by its number',
          example: 1,
        }),
      expiresInMinutes: z
        .number({ error: 'must be a number' })
        .int('must be a whole number')
        .min(1, 'must be 1 or more')
        .max(maxMinutes, `must be ${maxMinutes} or less (the operator's limit)`)
        .optional()
        .meta({ description: `How long to hold the connector, from now (default ${defaultMinutes})`, example: defaultMinutes, 'x-constraints': ['not together with expiryDate'] }),
      expiryDate: z
        .string()
        .regex(/^(19[7-9]\d|[2-9]\d{3})-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/, 'must be an ISO 8601 date-time with a zone, e.g. 2026-12-01T22:00:00Z')
        .refine((v) => !Number.isNaN(Date.parse(v)), 'must be a real date and time')
        .optional()
        .meta({
          description: 'When the reservation ends, instead of expiresInMinutes',
          'x-constraints': ['in the future', `at most RESERVATION_MAX_MINUTES (${maxMinutes}) minutes from now`, 'not together with expiresInMinutes'],
        }),
      idTag: idTagSchema.optional().meta({
        description: 'The id tag that may use the reservation: a driver may name one of their own (default: their first); an operator reserves for the driver of the id tag',
        'x-constraints': ['required when the caller is an operator (400 otherwise)'],
      }),
    })
    .refine((b) => b.expiresInMinutes === undefined || b.expiryDate === undefined, { message: 'use either expiresInMinutes or expiryDate, not both', path: ['expiryDate'] })
    .meta({ id: 'CreateReservationRequest', example: { stationId: 'CP_1', connectorId: 1, expiresInMinutes: defaultMinutes } });
}

export const reservationSchema = z
  .object({
    reservationId: z.number().int(),
    stationId: stationIdSchema,
    connectorId: z.number().int(),
    driverId: driverIdSchema.nullable(),
    idTag: z.string(),
    expiryDate: isoTimeSchema,
    status: reservationStatusSchema,
    chargerStatus: z.enum(['Accepted', 'Faulted', 'Occupied', 'Rejected', 'Unavailable']).nullable().meta({ description: "The charger's answer to ReserveNow (null: none)" }),
    detail: z.string().nullable(),
    requestedBy: z.enum(['driver', 'operator']),
    cancelledBy: z.enum(['driver', 'operator']).nullable(),
    cancelStatus: z
      .string()
      .nullable()
      .meta({ description: "The charger's answer to CancelReservation: Accepted, Rejected, failed (CALLERROR), pending (offline: sent when it is back, until expiry), not_needed (offline until expiry, when the charger ended it itself)" }),
    sessionId: z.string().nullable().meta({ description: 'The session that used the reservation; its receipt carries the reservation fee' }),
    fee: z
      .object({ currency: currencySchema, fixed: decimalStringSchema.nullable(), perMinute: decimalStringSchema.nullable(), chargedIfUnused: z.boolean() })
      .nullable()
      .meta({ description: "The tariff's reservation fee when the reservation was made (null: none). A cancelled reservation costs nothing" }),
    receipt: z
      .object({
        reservation_id: z.number().int(),
        status: z.literal('expired'),
        currency: z.string(),
        total: z.string(),
        lines: z.array(z.object({ component: z.string(), description: z.string(), quantity: z.string(), unit: z.string(), unitPrice: z.string(), amount: z.string() })),
      })
      .nullable()
      .meta({ description: 'Its own receipt: only for a reservation that expired unused under a tariff that charges for that' }),
    createdAt: isoTimeSchema,
    acceptedAt: isoTimeSchema.nullable(),
    endedAt: isoTimeSchema.nullable(),
  })
  .meta({
    id: 'Reservation',
    example: {
      reservationId: 12,
      stationId: 'CP_1',
      connectorId: 1,
      driverId: 'alice',
      idTag: 'ALICE0001',
      expiryDate: '2026-12-01T22:15:00.000Z',
      status: 'used',
      chargerStatus: 'Accepted',
      detail: null,
      requestedBy: 'driver',
      cancelledBy: null,
      cancelStatus: null,
      sessionId: 'sess_5f0c2a9e7b3d4168',
      fee: { currency: 'EUR', fixed: '0.5', perMinute: '0.1', chargedIfUnused: true },
      receipt: null,
      createdAt: '2026-12-01T22:00:00.000Z',
      acceptedAt: '2026-12-01T22:00:00.300Z',
      endedAt: '2026-12-01T22:09:12.000Z',
    },
  });
