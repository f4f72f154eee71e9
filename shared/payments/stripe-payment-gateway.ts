import Stripe from 'stripe';
import * as z from 'zod';
import { ConfigurationError, type StripeConfig } from '../config/config';
import {
  GatewayRateLimitError,
  MalformedWebhookEventError,
  UnknownPaymentIntentError,
  WebhookSignatureError,
  type GatewayEvent,
  type GatewayPaymentIntent,
  type PaymentGateway,
  type PaymentIntentRequest,
} from './payment-gateway';

/** Stripe's own default: old enough for delivery delays, short enough to defeat replayed captures. */
export const WEBHOOK_TOLERANCE_SECONDS = 300;

/**
 * How long one Stripe request may take, and how often the SDK repeats one that failed on the network
 * (with the same idempotency key, so a repeat never creates a second object). Three attempts of 4 s plus
 * the SDK's backoff (0.5 s, then 1 s) end within 14 s, so two sequential Stripe calls (the webhook's
 * retrieve, then a refund) still end inside the 30 s function timeout of terraform/functions.tf, where the
 * SDK's defaults (80 s, one retry) would let the platform kill the request first.
 */
export const STRIPE_NETWORK = { timeoutMs: 4000, maxNetworkRetries: 2 } as const;

/** The part of an event the webhook reads; anything else in a signed body is Stripe's business. */
const stripeEventShape = z.object({
  id: z.string().min(1),
  type: z.string().min(1),
  data: z.object({
    object: z.looseObject({
      id: z.string().optional(),
      object: z.string().optional(),
      payment_intent: z.union([z.string(), z.looseObject({ id: z.string() }), z.null()]).optional(),
    }),
  }),
});

type StripeEventShape = z.infer<typeof stripeEventShape>;

function toGatewayIntent(intent: Stripe.PaymentIntent): GatewayPaymentIntent {
  if (intent.client_secret === null) throw new Error(`PaymentIntent ${intent.id} has no client secret`);
  return {
    id: intent.id,
    status: intent.status,
    amount: intent.amount,
    amountReceived: intent.amount_received,
    currency: intent.currency,
    amountRefunded:
      typeof intent.latest_charge === 'object' && intent.latest_charge !== null
        ? intent.latest_charge.amount_refunded
        : 0,
    clientSecret: intent.client_secret,
    bookingId: intent.metadata['booking_id'],
    paymentId: intent.metadata['payment_id'],
    declined: intent.last_payment_error !== null,
  };
}

function paymentIntentOf(event: StripeEventShape): string | undefined {
  const object = event.data.object;
  if (object.object === 'payment_intent') return object.id;
  if (object.object === 'charge' || object.object === 'refund') {
    const intent = object.payment_intent;
    return typeof intent === 'string' ? intent : intent?.id;
  }
  return undefined;
}

/** The {@link PaymentGateway} on the `stripe` SDK (Stripe itself, or the local sandbox through host/port). */
export class StripePaymentGateway implements PaymentGateway {
  private readonly stripe: Stripe;

  constructor(private readonly config: StripeConfig) {
    this.stripe = new Stripe(config.secretKey, {
      timeout: STRIPE_NETWORK.timeoutMs,
      maxNetworkRetries: STRIPE_NETWORK.maxNetworkRetries,
      ...(config.apiHost === undefined ? {} : { host: config.apiHost }),
      ...(config.apiPort === undefined ? {} : { port: config.apiPort }),
      ...(config.apiProtocol === undefined ? {} : { protocol: config.apiProtocol }),
    });
  }

  async createPaymentIntent(request: PaymentIntentRequest): Promise<GatewayPaymentIntent> {
    const intent = await this.stripe.paymentIntents.create(
      {
        amount: request.amount,
        currency: request.currency.toLowerCase(),
        metadata: { booking_id: request.bookingId, payment_id: request.paymentId },
        // Mobile PaymentSheet confirms on the device; redirects would need a return URL the app lacks.
        automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
      },
      { idempotencyKey: request.idempotencyKey },
    );
    return toGatewayIntent(intent);
  }

  async retrievePaymentIntent(id: string): Promise<GatewayPaymentIntent> {
    try {
      // The latest charge says what was refunded: the webhook acts on Stripe's state, not on event snapshots.
      return toGatewayIntent(await this.stripe.paymentIntents.retrieve(id, { expand: ['latest_charge'] }));
    } catch (error) {
      if (error instanceof Stripe.errors.StripeInvalidRequestError && error.code === 'resource_missing') {
        throw new UnknownPaymentIntentError(`Stripe does not know the PaymentIntent ${id}.`);
      }
      throw error;
    }
  }

  async cancelPaymentIntent(id: string): Promise<GatewayPaymentIntent> {
    try {
      return toGatewayIntent(
        await this.stripe.paymentIntents.cancel(id, {}, { idempotencyKey: `cancel:${id}` }),
      );
    } catch (error) {
      // Cancelling is refused once the payment went through (or was cancelled already): report that state.
      if (
        error instanceof Stripe.errors.StripeInvalidRequestError &&
        error.code === 'payment_intent_unexpected_state'
      ) {
        return this.retrievePaymentIntent(id);
      }
      throw error;
    }
  }

  async refundPaymentIntent(id: string, idempotencyKey: string): Promise<void> {
    try {
      await this.stripe.refunds.create({ payment_intent: id }, { idempotencyKey });
    } catch (error) {
      if (error instanceof Stripe.errors.StripeRateLimitError) throw new GatewayRateLimitError(error.message);
      // Refunds here are always full: a charge refunded in full already (by an earlier request whose saved
      // answer has expired, or from the dashboard) is what was asked for.
      if (
        error instanceof Stripe.errors.StripeInvalidRequestError &&
        error.code === 'charge_already_refunded'
      ) {
        return;
      }
      throw error;
    }
  }

  verifyWebhook(rawBody: Buffer, signature: string | undefined): GatewayEvent {
    if (signature === undefined) throw new WebhookSignatureError('The Stripe-Signature header is missing.');
    const secret = this.config.webhookSecret;
    // A deployment fault, not the sender's: a 5xx makes Stripe deliver again once it is fixed.
    if (secret === undefined)
      throw new ConfigurationError('STRIPE_WEBHOOK_SECRET is not set for this function.');
    let event: unknown;
    try {
      event = this.stripe.webhooks.constructEvent(rawBody, signature, secret, WEBHOOK_TOLERANCE_SECONDS);
    } catch (error) {
      if (error instanceof Stripe.errors.StripeSignatureVerificationError) {
        throw new WebhookSignatureError(error.message);
      }
      // The signature verified, so only parsing the body can have failed.
      if (error instanceof SyntaxError) throw new MalformedWebhookEventError(`Not JSON: ${error.message}`);
      throw error;
    }
    const parsed = stripeEventShape.safeParse(event);
    if (!parsed.success) {
      throw new MalformedWebhookEventError(
        parsed.error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`).join('; '),
      );
    }
    return { id: parsed.data.id, type: parsed.data.type, paymentIntentId: paymentIntentOf(parsed.data) };
  }
}
