import Stripe from 'stripe';
import { rejectionOf, useStripeSandbox } from './sandbox-fixture';

const fixture = useStripeSandbox();

async function paidIntent(amount = 4000): Promise<Stripe.PaymentIntent> {
  return fixture.stripe.paymentIntents.create({
    amount,
    currency: 'eur',
    payment_method: 'pm_card_visa',
    confirm: true,
    metadata: { booking_id: 'booking-r' },
  });
}

describe('Stripe sandbox: refunds', () => {
  it('refunds a whole payment by PaymentIntent, with the shape Stripe gives refunds', async () => {
    const intent = await paidIntent();

    const refund = await fixture.stripe.refunds.create({
      payment_intent: intent.id,
      reason: 'requested_by_customer',
      metadata: { booking_id: 'booking-r' },
    });

    expect(refund).toMatchObject({
      object: 'refund',
      amount: 4000,
      currency: 'eur',
      status: 'succeeded',
      payment_intent: intent.id,
      charge: intent.latest_charge,
      reason: 'requested_by_customer',
      metadata: { booking_id: 'booking-r' },
    });
    expect(refund.id).toMatch(/^re_/);
    expect(await fixture.stripe.refunds.retrieve(refund.id)).toEqual({ ...refund });
    expect(await fixture.stripe.charges.retrieve(String(intent.latest_charge))).toMatchObject({
      amount_refunded: 4000,
      refunded: true,
    });
  });

  it('refunds part of a charge, then the rest, and refuses more', async () => {
    const intent = await paidIntent(4000);
    const charge = String(intent.latest_charge);

    await fixture.stripe.refunds.create({ charge, amount: 1500 });
    const partly = await fixture.stripe.charges.retrieve(charge);
    expect(partly).toMatchObject({ amount_refunded: 1500, refunded: false });

    const tooMuch = await rejectionOf(fixture.stripe.refunds.create({ charge, amount: 3000 }));
    expect(tooMuch).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(tooMuch).toMatchObject({ statusCode: 400, code: 'amount_too_large', param: 'amount' });

    const rest = await fixture.stripe.refunds.create({ payment_intent: intent.id });
    expect(rest.amount).toBe(2500);
    expect(await fixture.stripe.charges.retrieve(charge)).toMatchObject({
      amount_refunded: 4000,
      refunded: true,
    });

    const again = await rejectionOf(fixture.stripe.refunds.create({ charge }));
    expect(again).toMatchObject({ statusCode: 400, code: 'charge_already_refunded' });
  });

  it('refuses to refund a PaymentIntent that was never paid', async () => {
    const intent = await fixture.stripe.paymentIntents.create({ amount: 1000, currency: 'eur' });

    const error = await rejectionOf(fixture.stripe.refunds.create({ payment_intent: intent.id }));

    expect(error).toMatchObject({ statusCode: 400, param: 'payment_intent' });
  });

  it('refuses a refund that names neither a PaymentIntent nor a charge', async () => {
    const error = await rejectionOf(fixture.stripe.refunds.create({ amount: 100 }));

    expect(error).toMatchObject({ statusCode: 400, type: 'StripeInvalidRequestError' });
  });

  it('answers an unknown charge or refund as missing', async () => {
    expect(await rejectionOf(fixture.stripe.refunds.create({ charge: 'ch_missing' }))).toMatchObject({
      statusCode: 400,
      code: 'resource_missing',
      param: 'charge',
    });
    expect(await rejectionOf(fixture.stripe.refunds.retrieve('re_missing'))).toMatchObject({
      statusCode: 404,
      code: 'resource_missing',
    });
  });

  it('expands the charge of a refund when asked', async () => {
    const intent = await paidIntent();

    const refund = await fixture.stripe.refunds.create({ payment_intent: intent.id, expand: ['charge'] });

    expect(refund.charge).toMatchObject({ object: 'charge', id: intent.latest_charge, refunded: true });
  });
});
