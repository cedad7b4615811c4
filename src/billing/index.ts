/** Billing: pure, exact, shared by the workflow (live cost) and the receipt. */
export * from './money';
export * from './tariff';
export * from './time-of-use';
export * from './usage';
export * from './price-session';
export * from './reservation-fee';
