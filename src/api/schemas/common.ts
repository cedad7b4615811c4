/** Identifiers, decimals and the error body shared by many endpoints' schemas. */
import { z } from 'zod';
import { nonBlankTextPattern } from '../http/text-rule';

/**
 * The IANA time zones this runtime knows by their canonical names (418 on Node 20), and UTC. The
 * document lists them as one enum (≈ 8 KB, once, as the TimeZone component) so a client can
 * tell before sending; aliases (US/Eastern) and other spellings (europe/berlin) are refused.
 */
export const timeZones: readonly string[] = [...new Set([...Intl.supportedValuesOf('timeZone'), 'UTC'])].sort();

export const timeZoneSchema = z
  .enum(timeZones as [string, ...string[]], { error: 'must be an IANA time zone such as Europe/Berlin (its canonical name, or UTC)' })
  .meta({ id: 'TimeZone', description: "The station's time zone: time-of-use prices follow its local clock", example: 'Europe/Berlin' });

/** A name a person reads (on a receipt, in a list): surrounding spaces are removed, and then it must not be empty. */
export const nameSchema = (maxLength: number) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(maxLength)
    .meta({ pattern: nonBlankTextPattern, description: `Surrounding spaces are removed; not blank, at most ${maxLength} characters` });

/** OCPP charge point identity as it appears in the gateway URL path. */
export const stationIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9._:-]{1,48}$/, 'must be 1-48 characters: letters, digits, . _ : -')
  .meta({ description: 'Charger (charge point) identity', example: 'CP_1' });

const connectorNumber = (n: z.ZodNumber) =>
  n
    .int('must be a whole number')
    .min(1, 'must be 1 or more (connector 0 is the whole charger)')
    .max(99, 'must be 99 or less')
    .meta({ description: 'Connector number on the charger, from 1', example: 1 });
/** In a JSON body: a JSON number. */
export const connectorIdSchema = connectorNumber(z.number({ error: 'must be a number' }));

export const sessionIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1-64 characters: letters, digits, _ -')
  .meta({ description: 'Session id', example: 'sess_5f2c9a' });

export const driverIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be 1-64 characters: letters, digits, . _ -')
  .meta({ description: 'Driver id', example: 'alice' });

/** OCPP 1.6 IdToken: CiString20. */
export const idTagSchema = z
  .string()
  .regex(/^[\x21-\x7e]{1,20}$/, 'must be 1-20 printable ASCII characters without spaces (OCPP IdToken)')
  .meta({ description: 'RFID / app id tag (OCPP IdToken, up to 20 characters)', example: 'ALICE0001' });

export const tariffIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be 1-64 characters: letters, digits, . _ -')
  .meta({ description: 'Tariff id', example: 'standard' });

/** Exact decimals travel as strings (NUMERIC(18,6) in PostgreSQL), never binary floats. */
export const decimalStringSchema = z
  .string()
  .regex(/^\d{1,12}(\.\d{1,6})?$/, 'must be a non-negative decimal string with up to 6 decimal places, e.g. "0.25"')
  .meta({ description: 'Exact decimal as a string', example: '0.25' });

export const currencySchema = z
  .string()
  .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as EUR')
  .meta({ description: 'ISO 4217 currency code', example: 'EUR' });

export const isoTimeSchema = z.string().meta({ description: 'ISO 8601 time', example: '2026-11-24T10:00:00.000Z' });

export const errorBodySchema = z
  .object({
    error: z.object({
      code: z.string().meta({ example: 'invalid_request' }),
      message: z.string().meta({ example: 'body.connectorId: must be a whole number' }),
      details: z.array(z.object({ field: z.string(), problem: z.string() })).optional(),
      sessionId: z.string().optional().meta({ description: 'The session the request created anyway (a start the charger rejected exists, as failed)' }),
    }),
    requestId: z.string(),
  })
  .meta({ id: 'Error' });

/** Query booleans arrive as text. */
export const queryBooleanSchema = z.enum(['true', 'false'], { error: 'must be true or false' }).transform((v) => v === 'true');
