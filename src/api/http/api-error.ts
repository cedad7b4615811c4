/**
 * An error the API answers with on purpose: an HTTP status, a code a machine can act on,
 * and a message a person can read. Anything else that escapes a handler is a 500.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Which fields are wrong, and how (400). */
    readonly details?: FieldProblem[],
    /** The session the request created anyway (a start the charger rejected: it exists, as failed). */
    readonly sessionId?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface FieldProblem {
  field: string;
  problem: string;
}

export const notFound = (what: string): ApiError => new ApiError(404, 'not_found', `${what} not found`);
export const forbidden = (message = 'operator role required'): ApiError => new ApiError(403, 'forbidden', message);
export const conflict = (message: string): ApiError => new ApiError(409, 'conflict', message);

/** The JSON body of every error answer. */
export interface ErrorBody {
  error: { code: string; message: string; details?: FieldProblem[]; sessionId?: string };
  requestId: string;
}
