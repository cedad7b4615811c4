/**
 * Card payments on the whole stack, driven only through HTTP and a simulated charger: the
 * operator puts a driver on card, the driver saves a card, the reference session (2.5 kWh at
 * 0.25 → 0.63 EUR) is held, captured to the cent and shown on the receipt; a declined card is
 * answered 402 with nothing sent to the charger; the operator refunds part of the bill.
 */
import { startStack, type Stack } from '../reliability/support/stack';
import { createCard, startTestStripe, testCards, type TestStripe } from '../support/stripe';

let stripe: TestStripe;
let stack: Stack;

beforeAll(async () => {
  stripe = await startTestStripe();
  stack = await startStack({ name: 'card-stack', payments: stripe.provider });
  await stack.api.call('POST', '/v1/operator/tariffs', { body: { id: 'standard', name: 'Standard', currency: 'EUR', ratePerKwh: '0.25', isDefault: true } });
});
afterAll(async () => {
  await stack?.close();
  await stripe?.stop();
});

/** A driver the operator put on card, with `number` saved through the API. */
async function cardDriver(driverId: string, number: string): Promise<string> {
  const token = await stack.api.createDriver(driverId);
  expect((await stack.api.call('PUT', `/v1/operator/drivers/${driverId}/payment-mode`, { body: { paymentMode: 'card' } })).status).toBe(200);
  const saved = await stack.api.call('POST', '/v1/me/payment-methods', { token, body: { paymentMethodId: await createCard(stripe.sdk, number) } });
  expect(saved.status).toBe(201);
  return token;
}

it('the reference session paid by card: held, exactly 0.63 EUR captured, the rest released, shown on the receipt; then part refunded', async () => {
  const token = await cardDriver('paula', testCards.visa);
  await stack.addCharger('CP_CARD');
  const cp = await stack.connectCharger('CP_CARD', { meterStartWh: 154200 });
  const started = await stack.api.call('POST', '/v1/sessions', { token, body: { stationId: 'CP_CARD', connectorId: 1 } });
  expect(started.status).toBe(201);
  const sessionId: string = started.json.sessionId;
  const live = await stack.eventually('charging', () => stack.api.call('GET', `/v1/sessions/${sessionId}`, { token }), (r) => r.json?.status === 'charging');
  expect(live.json.limits).toMatchObject({ maxCost: '50.00' });

  cp.setMeterRegister(1, 156700);
  await cp.sendMeterValues(1);
  await stack.eventually('the 2.5 kWh reading', () => stack.api.call('GET', `/v1/sessions/${sessionId}`, { token }), (r) => r.json?.energyKwh === '2.5');
  const stopped = await stack.api.call('POST', `/v1/sessions/${sessionId}/stop`, { token });
  expect(stopped.status).toBe(200);
  expect(stopped.json).toMatchObject({ total_cost_exact: '0.63', payment: { status: 'captured', authorized: '50.00', captured: '0.63', released: '49.37', method: { brand: 'visa', last4: '4242' } } });

  const intent = await stripe.sdk.paymentIntents.retrieve(stopped.json.payment.reference);
  expect(intent).toMatchObject({ status: 'succeeded', amount: 5000, capture_method: 'manual' });

  const html = await stack.api.call('GET', `/v1/sessions/${sessionId}/receipt.html`, { token });
  expect(html.text).toContain('visa ending 4242');
  expect(html.text).toMatch(/Captured<\/td><td>0\.63 EUR/);
  expect(html.text).toMatch(/Released<\/td><td>49\.37 EUR/);
  expect(html.text).toContain(stopped.json.payment.reference);

  const refund = await stack.api.call('POST', `/v1/operator/sessions/${sessionId}/refunds`, { body: { amount: '0.13', reason: 'goodwill' } });
  expect(refund.status).toBe(201);
  const receipt = await stack.api.call('GET', `/v1/sessions/${sessionId}/receipt`, { token });
  expect(receipt.json.payment).toMatchObject({ captured: '0.63', refunded: '0.13' });
  expect((await stack.api.call('POST', `/v1/operator/sessions/${sessionId}/refunds`, { body: { amount: '0.51' } })).status).toBe(422);
});

it('a declined card: 402 with the decline reason, and the charger is never asked to start', async () => {
  const token = await cardDriver('dario', testCards.declinesCharges);
  await stack.addCharger('CP_DECLINE');
  const cp = await stack.connectCharger('CP_DECLINE');
  const calls: string[] = [];
  cp.on('call', (c: { action: string }) => calls.push(c.action));
  const res = await stack.api.call('POST', '/v1/sessions', { token, body: { stationId: 'CP_DECLINE', connectorId: 1 } });
  expect(res.status).toBe(402);
  expect(res.json.error).toMatchObject({ code: 'payment_declined', message: 'the card was declined: Your card was declined.', sessionId: expect.any(String) });
  expect(calls).not.toContain('RemoteStartTransaction');
  const receipt = await stack.receipt(res.json.error.sessionId, token);
  expect(receipt).toMatchObject({ status: 'failed', total_cost_exact: '0.00', payment: { status: 'declined', authorized: '0.00' } });
});

it('a card driver without a saved card is refused with 409 before anything is sent', async () => {
  const token = await stack.api.createDriver('nina');
  await stack.api.call('PUT', '/v1/operator/drivers/nina/payment-mode', { body: { paymentMode: 'card' } });
  await stack.addCharger('CP_NOCARD');
  await stack.connectCharger('CP_NOCARD');
  const res = await stack.api.call('POST', '/v1/sessions', { token, body: { stationId: 'CP_NOCARD', connectorId: 1 } });
  expect(res.status).toBe(409);
  expect(res.json.error.code).toBe('payment_method_missing');
});
