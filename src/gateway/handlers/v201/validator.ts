/**
 * Strict OCPP 2.0.1 schema validation (the official 2.0.1 schemas ocpp-rpc ships;
 * src/gateway/handlers/schema-validator.ts) with the CALLERROR codes of OCPP-J 2.0.1 §4.3:
 * FormatViolation for a payload that is not a JSON object, OccurrenceConstraintViolation (two 'r').
 */
import { createValidator } from 'ocpp-rpc';
import ocpp201Schemas from 'ocpp-rpc/lib/schemas/ocpp2_0_1.json';
import { SchemaValidator, type SchemaErrorCodes } from '../schema-validator';

export const OCPP201 = 'ocpp2.0.1';

const codes: SchemaErrorCodes = {
  type: 'TypeConstraintViolation',
  occurrence: 'OccurrenceConstraintViolation',
  property: 'PropertyConstraintViolation',
  malformed: 'FormatViolation',
};

const schemas = createValidator(OCPP201, ocpp201Schemas);

export class Ocpp201Validator extends SchemaValidator {
  constructor() {
    super(OCPP201, schemas, codes);
  }
}
