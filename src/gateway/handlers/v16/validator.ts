/**
 * Strict OCPP 1.6-J schema validation (ocpp-rpc's own 1.6 schemas; src/gateway/handlers/schema-validator.ts)
 * with the CALLERROR codes of OCPP-J 1.6 §4.2.3.
 *
 * OccurenceConstraintViolation is spelled with one 'r' as in OCPP-J 1.6 (the errata, §5 "known
 * issues that will not be fixed", keep the spelling). ocpp-rpc rewrites it to the two-'r'
 * spelling on its way out; the gateway's outbound response hook restores it.
 */
import { createValidator } from 'ocpp-rpc';
import ocpp16Schemas from 'ocpp-rpc/lib/schemas/ocpp1_6.json';
import { SchemaValidator, type SchemaErrorCodes } from '../schema-validator';

export const OCPP16 = 'ocpp1.6';

const codes: SchemaErrorCodes = {
  type: 'TypeConstraintViolation',
  occurrence: 'OccurenceConstraintViolation',
  property: 'PropertyConstraintViolation',
  malformed: 'FormationViolation',
};

const schemas = createValidator(OCPP16, ocpp16Schemas);

/** ocpp-rpc's validator for ocpp1.6 with the OCPP-J 1.6 error codes (the same schemas, read once). */
export class Ocpp16Validator extends SchemaValidator {
  constructor() {
    super(OCPP16, schemas, codes);
  }
}
