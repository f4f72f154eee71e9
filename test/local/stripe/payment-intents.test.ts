import Stripe from 'stripe';
import { rejectionOf, useStripeSandbox } from './sandbox-fixture';

const fixture = useStripeSandbox();

function createIntent(params: Partial<Stripe.PaymentIntentCreateParams> = {}) {
  return fixture.stripe.paymentIntents.create({
    amount: 2500,
    currency: 'EUR',
    metadata: { booking_id: 'booking-1' },
    ...params,
  });
}

describe('Stripe sandbox: PaymentIntents', () => {
  it('creates a PaymentIntent with the shape Stripe gives it', async () => {
    const before = Math.floor(Date.now() / 1000);

    const intent = await createIntent({ description: 'Two seats' });

    expect(intent).toMatchObject({
      object: 'payment_intent',
      amount: 2500,
      amount_received: 0,
      currency: 'eur',
      status: 'requires_payment_method',
      livemode: false,
      metadata: { booking_id: 'booking-1' },
      description: 'Two seats',
      automatic_payment_methods: { enabled: true, allow_redirects: 'always' },
      capture_method: 'automatic',
      latest_charge: null,
      last_payment_error: null,
      payment_method: null,
    });
    expect(intent.id).toMatch(/^pi_[A-Za-z0-9]{24}$/);
    expect(intent.client_secret).toMatch(new RegExp(`^${intent.id}_secret_[A-Za-z0-9]+$`));
    expect(intent.created).toBeGreaterThanOrEqual(before);
    expect(intent.created).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000));
    expect(await fixture.stripe.paymentIntents.retrieve(intent.id)).toEqual({ ...intent });
  });

  it('confirms with pm_card_visa: succeeded, with a succeeded charge as latest_charge', async () => {
    const intent = await createIntent();

    const confirmed = await fixture.stripe.paymentIntents.confirm(intent.id, {
      payment_method: 'pm_card_visa',
    });

    expect(confirmed).toMatchObject({ id: intent.id, status: 'succeeded', amount_received: 2500 });
    // A test token becomes a PaymentMethod of its own, as in Stripe's test mode.
    expect(confirmed.payment_method).toMatch(/^pm_/);
    expect(confirmed.payment_method).not.toBe('pm_card_visa');
    expect(confirmed.latest_charge).toMatch(/^ch_/);
    const charge = await fixture.stripe.charges.retrieve(String(confirmed.latest_charge));
    expect(charge).toMatchObject({
      object: 'charge',
      amount: 2500,
      amount_captured: 2500,
      amount_refunded: 0,
      currency: 'eur',
      status: 'succeeded',
      paid: true,
      captured: true,
      refunded: false,
      payment_intent: intent.id,
      payment_method: confirmed.payment_method,
      metadata: { booking_id: 'booking-1' },
      payment_method_details: { type: 'card', card: { brand: 'visa', last4: '4242' } },
    });
  });

  it('expands latest_charge into the charge object when asked', async () => {
    const intent = await createIntent();

    const confirmed = await fixture.stripe.paymentIntents.confirm(intent.id, {
      payment_method: 'pm_card_visa',
      expand: ['latest_charge'],
    });

    expect(confirmed.latest_charge).toMatchObject({
      object: 'charge',
      status: 'succeeded',
      payment_intent: intent.id,
    });
  });

  it('answers a declined card with a 402 card error and lets the customer pay with another card', async () => {
    const intent = await createIntent();

    const error = await rejectionOf(
      fixture.stripe.paymentIntents.confirm(intent.id, { payment_method: 'pm_card_chargeDeclined' }),
    );

    expect(error).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect(error).toMatchObject({
      statusCode: 402,
      code: 'card_declined',
      decline_code: 'generic_decline',
      message: 'Your card was declined.',
      doc_url: 'https://stripe.com/docs/error-codes/card-declined',
    });
    expect(error.payment_intent).toMatchObject({ id: intent.id, status: 'requires_payment_method' });
    expect(error.charge).toMatch(/^ch_/);
    const declined = await fixture.stripe.paymentIntents.retrieve(intent.id);
    expect(declined).toMatchObject({
      status: 'requires_payment_method',
      payment_method: null,
      latest_charge: error.charge,
      last_payment_error: { type: 'card_error', code: 'card_declined', decline_code: 'generic_decline' },
    });
    expect(await fixture.stripe.charges.retrieve(String(error.charge))).toMatchObject({
      status: 'failed',
      paid: false,
      failure_code: 'card_declined',
      outcome: { type: 'issuer_declined', reason: 'generic_decline' },
    });

    const paid = await fixture.stripe.paymentIntents.confirm(intent.id, { payment_method: 'pm_card_visa' });

    expect(paid).toMatchObject({ status: 'succeeded', last_payment_error: null });
    expect(paid.latest_charge).not.toBe(error.charge);
  });

  it('gives each decline test card its own decline code', async () => {
    const intent = await createIntent();

    const error = await rejectionOf(
      fixture.stripe.paymentIntents.confirm(intent.id, {
        payment_method: 'pm_card_chargeDeclinedInsufficientFunds',
      }),
    );

    expect(error).toMatchObject({ code: 'card_declined', decline_code: 'insufficient_funds' });
  });

  it('creates and confirms in one call with confirm=true', async () => {
    const intent = await createIntent({ payment_method: 'pm_card_visa', confirm: true });

    expect(intent.status).toBe('succeeded');
  });

  it('waits in requires_confirmation when created with a payment method but not confirmed', async () => {
    const intent = await createIntent({ payment_method: 'pm_card_mastercard' });

    expect(intent.status).toBe('requires_confirmation');
    expect(await fixture.stripe.paymentIntents.confirm(intent.id)).toMatchObject({ status: 'succeeded' });
  });

  it('refuses to confirm a PaymentIntent that already succeeded', async () => {
    const intent = await createIntent({ payment_method: 'pm_card_visa', confirm: true });

    const error = await rejectionOf(
      fixture.stripe.paymentIntents.confirm(intent.id, { payment_method: 'pm_card_visa' }),
    );

    expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(error).toMatchObject({ statusCode: 400, code: 'payment_intent_unexpected_state' });
  });

  it('refuses to confirm without any payment method', async () => {
    const intent = await createIntent();

    const error = await rejectionOf(fixture.stripe.paymentIntents.confirm(intent.id));

    expect(error).toMatchObject({ statusCode: 400, code: 'payment_intent_unexpected_state' });
  });

  it('merges metadata updates and removes keys set to an empty string', async () => {
    const intent = await createIntent({ metadata: { booking_id: 'booking-2', attempt: '1' } });

    const updated = await fixture.stripe.paymentIntents.update(intent.id, {
      metadata: { attempt: '', user_id: 'user-9' },
    });

    expect(updated.metadata).toEqual({ booking_id: 'booking-2', user_id: 'user-9' });
  });

  it('changes the amount before payment but not after', async () => {
    const intent = await createIntent();
    expect((await fixture.stripe.paymentIntents.update(intent.id, { amount: 3000 })).amount).toBe(3000);
    await fixture.stripe.paymentIntents.confirm(intent.id, { payment_method: 'pm_card_visa' });

    const error = await rejectionOf(fixture.stripe.paymentIntents.update(intent.id, { amount: 100 }));

    expect(error).toMatchObject({ statusCode: 400, code: 'payment_intent_unexpected_state' });
    expect(
      (await fixture.stripe.paymentIntents.update(intent.id, { metadata: { note: 'paid' } })).metadata,
    ).toMatchObject({ note: 'paid' });
  });

  it('cancels an unpaid PaymentIntent, which then cannot be confirmed', async () => {
    const intent = await createIntent();

    const canceled = await fixture.stripe.paymentIntents.cancel(intent.id, {
      cancellation_reason: 'abandoned',
    });

    expect(canceled).toMatchObject({ status: 'canceled', cancellation_reason: 'abandoned' });
    expect(canceled.canceled_at).toEqual(expect.any(Number));
    const error = await rejectionOf(
      fixture.stripe.paymentIntents.confirm(intent.id, { payment_method: 'pm_card_visa' }),
    );
    expect(error).toMatchObject({ statusCode: 400, code: 'payment_intent_unexpected_state' });
  });

  it('refuses to cancel a PaymentIntent that succeeded', async () => {
    const intent = await createIntent({ payment_method: 'pm_card_visa', confirm: true });

    const error = await rejectionOf(fixture.stripe.paymentIntents.cancel(intent.id));

    expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(error).toMatchObject({ statusCode: 400, code: 'payment_intent_unexpected_state' });
    expect(error.message).toMatch(/status of succeeded/);
    expect((await fixture.stripe.paymentIntents.retrieve(intent.id)).status).toBe('succeeded');
  });

  it('answers an unknown PaymentIntent with 404 resource_missing', async () => {
    const error = await rejectionOf(fixture.stripe.paymentIntents.retrieve('pi_doesnotexist'));

    expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(error).toMatchObject({
      statusCode: 404,
      code: 'resource_missing',
      param: 'id',
      message: "No such payment_intent: 'pi_doesnotexist'",
    });
  });

  it('answers an unknown payment method with 400 resource_missing', async () => {
    const intent = await createIntent();

    const error = await rejectionOf(
      fixture.stripe.paymentIntents.confirm(intent.id, { payment_method: 'pm_nope' }),
    );

    expect(error).toMatchObject({ statusCode: 400, code: 'resource_missing', param: 'payment_method' });
  });

  it.each([
    [{ currency: 'eur' }, { code: 'parameter_missing', param: 'amount' }],
    [{ amount: 1000 }, { code: 'parameter_missing', param: 'currency' }],
    [{ amount: 1000, currency: 'euro' }, { param: 'currency' }],
    [
      { amount: 10, currency: 'eur' },
      { code: 'amount_too_small', param: 'amount' },
    ],
    [
      { amount: 1000, currency: 'eur', surprise: 'yes' },
      { code: 'parameter_unknown', param: 'surprise' },
    ],
    [
      {
        amount: 1000,
        currency: 'eur',
        automatic_payment_methods: { enabled: true },
        payment_method_types: ['card'],
      },
      {},
    ],
  ])('rejects invalid parameters %j with a 400 naming them', async (params, expected) => {
    // The SDK's types would refuse these; the sandbox must refuse them when they come over the wire.
    const wire = params as unknown as Stripe.PaymentIntentCreateParams;

    const error = await rejectionOf(fixture.stripe.paymentIntents.create(wire));

    expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(error).toMatchObject({ statusCode: 400, ...expected });
  });
});
