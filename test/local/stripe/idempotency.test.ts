import Stripe from 'stripe';
import { startStripeSandbox } from '../../../local/stripe/server';
import { rejectionOf, stripeFor, useStripeSandbox } from './sandbox-fixture';

const fixture = useStripeSandbox();

const params: Stripe.PaymentIntentCreateParams = {
  amount: 1800,
  currency: 'eur',
  metadata: { booking_id: 'booking-i' },
};

describe('Stripe sandbox: idempotent requests', () => {
  it('replays the first response for the same key and parameters, marked Idempotent-Replayed', async () => {
    const first = await fixture.stripe.paymentIntents.create(params, { idempotencyKey: 'create-1' });

    const replay = await fixture.stripe.paymentIntents.create(params, { idempotencyKey: 'create-1' });

    expect(replay).toEqual({ ...first });
    expect(first.lastResponse.headers['idempotent-replayed']).toBeUndefined();
    expect(replay.lastResponse.headers['idempotent-replayed']).toBe('true');
    expect(replay.lastResponse.headers['original-request']).toBe(first.lastResponse.requestId);
    expect(replay.lastResponse.headers['idempotency-key']).toBe('create-1');
  });

  it('charges once when a confirmation is retried with its key', async () => {
    const intent = await fixture.stripe.paymentIntents.create(params);
    const confirm = () =>
      fixture.stripe.paymentIntents.confirm(
        intent.id,
        { payment_method: 'pm_card_visa' },
        { idempotencyKey: `confirm-${intent.id}` },
      );

    const first = await confirm();
    const retry = await confirm();

    expect(retry.latest_charge).toBe(first.latest_charge);
    expect(retry.lastResponse.headers['idempotent-replayed']).toBe('true');
    expect((await fixture.stripe.paymentIntents.retrieve(intent.id)).latest_charge).toBe(first.latest_charge);
  });

  it('rejects the same key with other parameters as an idempotency error', async () => {
    await fixture.stripe.paymentIntents.create(params, { idempotencyKey: 'create-2' });

    const error = await rejectionOf(
      fixture.stripe.paymentIntents.create({ ...params, amount: 1900 }, { idempotencyKey: 'create-2' }),
    );

    expect(error).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
    expect(error).toMatchObject({ statusCode: 400, rawType: 'idempotency_error' });
  });

  it('rejects the same key on another endpoint as an idempotency error', async () => {
    const intent = await fixture.stripe.paymentIntents.create(params, { idempotencyKey: 'create-3' });

    const error = await rejectionOf(
      fixture.stripe.paymentIntents.cancel(intent.id, {}, { idempotencyKey: 'create-3' }),
    );

    expect(error).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
  });

  it('replays a declined card too, so a new attempt needs a new key', async () => {
    const intent = await fixture.stripe.paymentIntents.create(params);
    const key = { idempotencyKey: `pay-${intent.id}-attempt-1` };

    const first = await rejectionOf(
      fixture.stripe.paymentIntents.confirm(intent.id, { payment_method: 'pm_card_chargeDeclined' }, key),
    );
    const replay = await rejectionOf(
      fixture.stripe.paymentIntents.confirm(intent.id, { payment_method: 'pm_card_chargeDeclined' }, key),
    );
    const otherCard = await rejectionOf(
      fixture.stripe.paymentIntents.confirm(intent.id, { payment_method: 'pm_card_visa' }, key),
    );

    expect(replay).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect(replay.charge).toBe(first.charge);
    expect(replay.headers?.['idempotent-replayed']).toBe('true');
    expect(otherCard).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
    const paid = await fixture.stripe.paymentIntents.confirm(
      intent.id,
      { payment_method: 'pm_card_visa' },
      { idempotencyKey: `pay-${intent.id}-attempt-2` },
    );
    expect(paid.status).toBe('succeeded');
  });

  it('does not save a request that failed validation, so it can be corrected under the same key', async () => {
    const invalid = { amount: 1800 } as Stripe.PaymentIntentCreateParams;
    const error = await rejectionOf(
      fixture.stripe.paymentIntents.create(invalid, { idempotencyKey: 'create-4' }),
    );
    expect(error).toMatchObject({ statusCode: 400, code: 'parameter_missing' });

    const corrected = await fixture.stripe.paymentIntents.create(params, { idempotencyKey: 'create-4' });

    expect(corrected.status).toBe('requires_payment_method');
  });

  it('takes keys of up to 255 characters and refuses longer ones', async () => {
    await fixture.stripe.paymentIntents.create(params, { idempotencyKey: 'k'.repeat(255) });

    const error = await rejectionOf(
      fixture.stripe.paymentIntents.create(params, { idempotencyKey: 'k'.repeat(256) }),
    );

    expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(error.statusCode).toBe(400);
  });

  it('scopes keys to the API key that used them', async () => {
    const first = await fixture.stripe.paymentIntents.create(params, { idempotencyKey: 'shared-key' });

    const other = await stripeFor(fixture.sandbox, 'sk_test_another_account').paymentIntents.create(params, {
      idempotencyKey: 'shared-key',
    });

    expect(other.id).not.toBe(first.id);
  });

  it('gives every SDK request its own key, so two identical creates make two objects', async () => {
    const first = await fixture.stripe.paymentIntents.create(params);
    const second = await fixture.stripe.paymentIntents.create(params);

    expect(second.id).not.toBe(first.id);
    expect(first.lastResponse.idempotencyKey).toMatch(/^stripe-node-retry-/);
  });

  it('forgets keys after the retention period', async () => {
    const sandbox = await startStripeSandbox({ port: 0, idempotencyKeyTtlMs: 50 });
    try {
      const stripe = stripeFor(sandbox);
      const first = await stripe.paymentIntents.create(params, { idempotencyKey: 'short-lived' });
      await new Promise((resolve) => setTimeout(resolve, 80));

      const later = await stripe.paymentIntents.create(
        { ...params, amount: 999 },
        { idempotencyKey: 'short-lived' },
      );

      expect(later.id).not.toBe(first.id);
    } finally {
      await sandbox.stop();
    }
  });
});
