import Stripe from 'stripe';
import type { StripeConfig } from '../config/config';
import {
  WebhookSignatureError,
  type GatewayEvent,
  type GatewayPaymentIntent,
  type PaymentGateway,
  type PaymentIntentRequest,
} from './payment-gateway';

/** Stripe's own default: old enough for delivery delays, short enough to defeat replayed captures. */
export const WEBHOOK_TOLERANCE_SECONDS = 300;

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

function paymentIntentOf(event: Stripe.Event): string | undefined {
  const object = event.data.object;
  if (object.object === 'payment_intent') return object.id;
  if (object.object === 'charge') {
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
    // The latest charge says what was refunded: the webhook acts on Stripe's state, not on event snapshots.
    return toGatewayIntent(await this.stripe.paymentIntents.retrieve(id, { expand: ['latest_charge'] }));
  }

  async cancelPaymentIntent(id: string): Promise<GatewayPaymentIntent> {
    try {
      return toGatewayIntent(await this.stripe.paymentIntents.cancel(id));
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
    await this.stripe.refunds.create({ payment_intent: id }, { idempotencyKey });
  }

  verifyWebhook(rawBody: Buffer, signature: string | undefined): GatewayEvent {
    if (signature === undefined) throw new WebhookSignatureError('The Stripe-Signature header is missing.');
    let event: Stripe.Event;
    try {
      event = this.stripe.webhooks.constructEvent(
        rawBody,
        signature,
        this.config.webhookSecret,
        WEBHOOK_TOLERANCE_SECONDS,
      );
    } catch (error) {
      if (error instanceof Stripe.errors.StripeSignatureVerificationError) {
        throw new WebhookSignatureError(error.message);
      }
      throw error;
    }
    return { id: event.id, type: event.type, paymentIntentId: paymentIntentOf(event) };
  }
}
