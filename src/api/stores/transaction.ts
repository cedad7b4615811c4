/** The stores use the shared transaction helper and PostgreSQL error checks. */
export { inTransaction, isPgError, pgErrorCodes } from '../../db/transaction';
