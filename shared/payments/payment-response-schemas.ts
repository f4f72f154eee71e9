import * as z from 'zod';
import { PAYMENT_STATUSES } from './payment';

// Documented with `.register(z.globalRegistry, …)`, not `.meta(…)`: it annotates a schema without cloning
// it, which halves what these schemas add to cold start. Register only schemas used once: metadata is per instance.

/** The `payment` object of `POST /pay`; `PaymentResponse` is derived from it. */
export const paymentSchema = z
  .strictObject({
    id: z.string(),
    bookingId: z.string(),
    amount: z.int().register(z.globalRegistry, { description: 'The booking’s total, in minor units.' }),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/)
      .register(z.globalRegistry, { description: 'ISO 4217 code in upper case.' }),
    status: z.enum(PAYMENT_STATUSES),
    stripePaymentIntentId: z.string(),
    clientSecret: z
      .string()
      .register(z.globalRegistry, { description: 'For Stripe’s PaymentSheet on the device; never log it.' }),
  })
  .register(z.globalRegistry, { id: 'Payment' });

/** The `payment` object of `POST /pay`, as its schema documents it. */
export type PaymentResponse = z.infer<typeof paymentSchema>;

/** Answer of `pay`. */
export const paymentEnvelopeSchema = z.strictObject({ payment: paymentSchema });

/** What the webhook did with an event; logged and returned to Stripe for the delivery log. */
export const WEBHOOK_OUTCOMES = ['applied', 'duplicate', 'ignored'] as const;

/** One of {@link WEBHOOK_OUTCOMES}. */
export type WebhookOutcome = (typeof WEBHOOK_OUTCOMES)[number];

/** Answer of `stripeWebhook`, kept in Stripe's delivery log. */
export const webhookReceiptSchema = z.strictObject({
  outcome: z.enum(WEBHOOK_OUTCOMES).register(z.globalRegistry, {
    description:
      '`duplicate`: already applied; `ignored`: changes nothing (an event type or payment not ours, or ' +
      'an event that later states made obsolete, such as `payment_failed` after success).',
  }),
});

/**
 * What Stripe posts to `stripeWebhook`, for the document only: the body is read raw and verified with the
 * Stripe SDK against `Stripe-Signature`, never validated by this schema.
 */
export const stripeEventSchema = z
  .looseObject({
    id: z.string(),
    type: z.string().register(z.globalRegistry, { description: 'e.g. `payment_intent.succeeded`.' }),
    data: z.looseObject({ object: z.looseObject({ id: z.string() }) }),
  })
  .register(z.globalRegistry, {
    id: 'StripeEvent',
    description: 'A Stripe Event object (https://docs.stripe.com/api/events).',
  });

/** The header Stripe signs each delivery with. */
export const stripeSignatureHeaderSchema = z.string().register(z.globalRegistry, {
  description: '`t=<timestamp>,v1=<HMAC-SHA256 of "<timestamp>.<raw body>">`',
});
