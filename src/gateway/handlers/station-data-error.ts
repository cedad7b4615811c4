/**
 * A message valid by its schema whose data the central system cannot take (a value beyond what
 * it can represent). Thrown by a handler, the station is answered PropertyConstraintViolation
 * (src/gateway/handlers/serve.ts): the station's data is at fault, so retrying cannot help.
 */
export class StationDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StationDataError';
  }
}
