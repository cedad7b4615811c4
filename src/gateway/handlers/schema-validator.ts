/**
 * Strict schema validation of OCPP-J payloads (the schemas ocpp-rpc ships), answering with the
 * CALLERROR codes of the connection's version for a payload that is syntactically correct but
 * breaks the PDU (OCPP-J 1.6 §4.2.3, OCPP-J 2.0.1 §4.3):
 *
 * - TypeConstraintViolation: a field of the wrong JSON type ("somestring": 12);
 * - Occur(r)enceConstraintViolation: a field occurs the wrong number of times: a required field
 *   is missing, a field the PDU does not define is present, a list has too few or too many items;
 * - PropertyConstraintViolation: a field of the right type with a value the PDU does not allow
 *   (enum, length, range, date-time format, pattern).
 *
 * A CALL whose payload is missing or not a JSON object is a malformed frame (1.6:
 * FormationViolation, 2.0.1: FormatViolation). The errorDetails name the field and the
 * constraint, never the payload itself (ocpp-rpc's own details echo the whole request back to the
 * charger and into the logs).
 *
 * ocpp-rpc's own validator reports length, range and format as FormatViolation. Each version's
 * validator is given to ocpp-rpc through its `strictModeValidators` option, replacing the built-in one.
 */
import { createRPCError, createValidator } from 'ocpp-rpc';
import { Validator } from 'ocpp-rpc/lib/validator';

/** A version's spelling of the schema-violation codes. */
export interface SchemaErrorCodes {
  type: string;
  occurrence: string;
  property: string;
  /** The payload is not a JSON object at all. */
  malformed: string;
}

interface AjvError {
  keyword: string;
  instancePath: string;
  message?: string;
  params?: Record<string, unknown>;
}

/** Keywords about how often a field occurs; `type` is a type violation; anything else a disallowed value. */
const occurrenceKeywords = new Set(['required', 'additionalProperties', 'minItems', 'maxItems', 'minProperties', 'maxProperties']);

export function schemaErrorCode(keyword: string, codes: SchemaErrorCodes): string {
  if (keyword === 'type') return codes.type;
  return occurrenceKeywords.has(keyword) ? codes.occurrence : codes.property;
}

/** What a schema-violation CALLERROR carries in errorDetails: where, and which constraint. */
export interface SchemaViolationDetails {
  /** JSON pointer into the payload ("" for the payload itself), with the missing or undefined field's name. */
  property: string;
  /** The JSON-schema keyword that failed (type, required, additionalProperties, enum, maxLength, format...). */
  constraint: string;
}

const MAX_NAME = 64;
const MAX_DESCRIPTION = 200;
const clip = (s: string, max: number) => (s.length > max ? `${s.slice(0, max)}…` : s);

function violation(error: AjvError): { details: SchemaViolationDetails; description: string } {
  const field = error.params?.missingProperty ?? error.params?.additionalProperty;
  const property = clip(error.instancePath + (typeof field === 'string' ? `/${field}` : ''), MAX_NAME);
  const where = error.instancePath ? clip(error.instancePath, MAX_NAME) : 'payload';
  return { details: { property, constraint: error.keyword }, description: clip(`${where} ${error.message ?? 'is not valid'}`, MAX_DESCRIPTION) };
}

/** Each verdict with the schema it was made against (urn:<Action>.req or urn:<Action>.conf). */
const verdicts = new WeakMap<object, string>();

/** An RPCError for a payload that breaks the schema, remembered as a validator's verdict. */
function schemaError(schemaId: string, code: string, description: string, details: SchemaViolationDetails | Record<string, never>): object {
  const err = createRPCError(code, description, details);
  verdicts.set(err, schemaId);
  return err;
}

/**
 * Whether an error is a validator's verdict on a CALLRESULT payload (ocpp-rpc rejects a call
 * whose answer breaks the schema with it), rather than a CALLERROR the charger sent or a verdict
 * on the request the gateway was about to send.
 */
export function isInvalidCallResult(err: unknown): err is Error & { rpcErrorCode: string; details: SchemaViolationDetails | Record<string, never> } {
  return typeof err === 'object' && err !== null && verdicts.get(err)?.endsWith('.conf') === true;
}

const isObject = (v: unknown): v is object => typeof v === 'object' && v !== null && !Array.isArray(v);

/** ocpp-rpc's validator for one subprotocol with that version's error codes (its schemas compiled once, by the caller). */
export class SchemaValidator extends Validator {
  constructor(
    subprotocol: string,
    private readonly schemas: ReturnType<typeof createValidator>,
    private readonly codes: SchemaErrorCodes,
  ) {
    super(subprotocol, schemas._ajv);
  }

  override validate(schemaId: string, params: unknown): boolean | Promise<unknown> {
    if (!isObject(params)) throw schemaError(schemaId, this.codes.malformed, 'The payload must be a JSON object', {});
    try {
      return this.schemas.validate(schemaId, params);
    } catch (err) {
      const first = (err as { details?: { errors?: AjvError[] } }).details?.errors?.[0];
      if (!first) throw err; // not a schema violation (e.g. no schema for the action)
      const { details, description } = violation(first);
      throw schemaError(schemaId, schemaErrorCode(first.keyword, this.codes), description, details);
    }
  }
}
