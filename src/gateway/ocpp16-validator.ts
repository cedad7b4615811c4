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
 * ocpp-rpc's own validator reports length, range and format as FormatViolation (which becomes
 * FormationViolation, the code for a malformed frame). It is given to ocpp-rpc through its
 * `strictModeValidators` option, replacing the built-in validator for `ocpp1.6`.
 *
 * OccurenceConstraintViolation is spelled with one 'r' as in OCPP-J 1.6 (the errata, §5 "known
 * issues that will not be fixed", keep the spelling). ocpp-rpc rewrites it to the two-'r'
 * spelling on its way out; the gateway's outbound response hook restores it.
 */
import { createRPCError, createValidator } from 'ocpp-rpc';
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

/** The part of ocpp-rpc's Validator that its client calls. */
export interface OcppValidator {
  readonly subprotocol: string;
  validate(schemaId: string, params: unknown): unknown;
}

export class Ocpp16Validator implements OcppValidator {
  private readonly schemas = createValidator(OCPP16, ocpp16Schemas as never);

  get subprotocol(): string {
    return OCPP16;
  }

  validate(schemaId: string, params: unknown): unknown {
    try {
      return this.schemas.validate(schemaId, params);
    } catch (err) {
      const details = (err as { details?: { errors?: AjvError[] } }).details;
      const first = details?.errors?.[0];
      if (!first) throw err; // not a schema violation (e.g. no schema for the action)
      throw createRPCError(schemaErrorCode(first.keyword), (err as Error).message, details);
    }
  }
}
