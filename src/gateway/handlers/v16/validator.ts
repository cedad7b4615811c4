/**
 * Strict OCPP 1.6-J schema validation (ocpp-rpc's own 1.6 schemas), answering with the CALLERROR
 * codes OCPP-J 1.6 §4.2.3 defines for a payload that is syntactically correct but breaks the PDU:
 *
 * - TypeConstraintViolation: a field of the wrong JSON type ("somestring": 12);
 * - OccurenceConstraintViolation: a field occurs the wrong number of times: a required field is
 *   missing, a field the PDU does not define is present, a list has too few or too many items;
 * - PropertyConstraintViolation: a field of the right type with a value the PDU does not allow
 *   (enum, length, range, date-time format, pattern).
 *
 * A CALL whose payload is missing or not a JSON object is a malformed frame: FormationViolation.
 * The errorDetails name the field and the constraint, never the payload itself (ocpp-rpc's own
 * details echo the whole request back to the charger and into the logs).
 *
 * ocpp-rpc's own validator reports length, range and format as FormatViolation (which becomes
 * FormationViolation, the code for a malformed frame). It is given to ocpp-rpc through its
 * `strictModeValidators` option, replacing the built-in validator for `ocpp1.6`.
 *
 * OccurenceConstraintViolation is spelled with one 'r' as in OCPP-J 1.6 (the errata, §5 "known
 * issues that will not be fixed", keep the spelling). ocpp-rpc rewrites it to the two-'r'
 * spelling on its way out; the gateway's outbound response hook restores it.
 */
import { createRPCError, createValidator } from 'ocpp-rpc';
import { Validator } from 'ocpp-rpc/lib/validator';
import ocpp16Schemas from 'ocpp-rpc/lib/schemas/ocpp1_6.json';

export const OCPP16 = 'ocpp1.6';

type SchemaErrorCode = 'TypeConstraintViolation' | 'OccurenceConstraintViolation' | 'PropertyConstraintViolation';

/** OCPP-J 1.6 error code per JSON-schema keyword; anything unlisted is a disallowed value. */
const codeByKeyword: Record<string, SchemaErrorCode> = {
  type: 'TypeConstraintViolation',
  required: 'OccurenceConstraintViolation',
  additionalProperties: 'OccurenceConstraintViolation',
  minItems: 'OccurenceConstraintViolation',
  maxItems: 'OccurenceConstraintViolation',
  minProperties: 'OccurenceConstraintViolation',
  maxProperties: 'OccurenceConstraintViolation',
};

export function schemaErrorCode(keyword: string): SchemaErrorCode {
  return codeByKeyword[keyword] ?? 'PropertyConstraintViolation';
}

interface AjvError {
  keyword: string;
  instancePath: string;
  message?: string;
  params?: Record<string, unknown>;
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

/** An RPCError for a payload that breaks the schema, remembered as this validator's verdict. */
function schemaError(schemaId: string, code: SchemaErrorCode | 'FormationViolation', description: string, details: SchemaViolationDetails | Record<string, never>): object {
  const err = createRPCError(code, description, details);
  verdicts.set(err, schemaId);
  return err;
}

/**
 * Whether an error is this validator's verdict on a CALLRESULT payload (ocpp-rpc rejects a call
 * whose answer breaks the schema with it), rather than a CALLERROR the charger sent or a verdict
 * on the request the gateway was about to send.
 */
export function isInvalidCallResult(err: unknown): err is Error & { rpcErrorCode: string; details: SchemaViolationDetails | Record<string, never> } {
  return typeof err === 'object' && err !== null && verdicts.get(err)?.endsWith('.conf') === true;
}

const isObject = (v: unknown): v is object => typeof v === 'object' && v !== null && !Array.isArray(v);

const schemas = createValidator(OCPP16, ocpp16Schemas);

/** ocpp-rpc's validator for ocpp1.6 with the OCPP-J 1.6 error codes (the same schemas, read once). */
export class Ocpp16Validator extends Validator {
  private readonly schemas = schemas;

  constructor() {
    super(OCPP16, schemas._ajv);
  }

  override validate(schemaId: string, params: unknown): boolean | Promise<unknown> {
    if (!isObject(params)) throw schemaError(schemaId, 'FormationViolation', 'The payload must be a JSON object', {});
    try {
      return this.schemas.validate(schemaId, params);
    } catch (err) {
      const first = (err as { details?: { errors?: AjvError[] } }).details?.errors?.[0];
      if (!first) throw err; // not a schema violation (e.g. no schema for the action)
      const { details, description } = violation(first);
      throw schemaError(schemaId, schemaErrorCode(first.keyword), description, details);
    }
  }
}
