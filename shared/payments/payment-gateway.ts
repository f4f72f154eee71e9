/** What the payment flow needs to know of a Stripe PaymentIntent. */
export interface GatewayPaymentIntent {
  readonly id: string;
  readonly status: string;
  readonly amount: number;
  /** What the customer actually paid, in `currency` (0 until the PaymentIntent succeeds). */
  readonly amountReceived: number;
  /** Lower case, as Stripe writes currencies. */
  readonly currency: string;
  /**
   * What has been refunded of the payment so far, all refunds together (Stripe's `amount_refunded` of the
   * latest charge); 0 when nothing was, or when the answer did not include the charge (create, cancel).
   */
  readonly amountRefunded: number;
  readonly clientSecret: string;
  /** The booking and payment ids written into the PaymentIntent's metadata, if it is one of ours. */
  readonly bookingId: string | undefined;
  readonly paymentId: string | undefined;
  /** True when the last confirmation was declined: the customer must start a new attempt. */
  readonly declined: boolean;
}

/** A verified webhook event, reduced to what the payment flow acts on. */
export interface GatewayEvent {
  readonly id: string;
  readonly type: string;
  /** The PaymentIntent the event is about (directly, or through its charge); undefined for others. */
  readonly paymentIntentId: string | undefined;
}

/** Everything needed to create one attempt's PaymentIntent. */
export interface PaymentIntentRequest {
  readonly amount: number;
  readonly currency: string;
  readonly bookingId: string;
  readonly paymentId: string;
  readonly idempotencyKey: string;
}

/** A webhook whose signature is missing, malformed, wrong or too old. */
export class WebhookSignatureError extends Error {
  override readonly name = 'WebhookSignatureError';
}

/** A correctly signed webhook whose body is not a Stripe event (not JSON, no `id`, `type` or `data.object`). */
export class MalformedWebhookEventError extends Error {
  override readonly name = 'MalformedWebhookEventError';
}

/** Stripe does not know the PaymentIntent (`resource_missing`): it was never created by this account. */
export class UnknownPaymentIntentError extends Error {
  override readonly name = 'UnknownPaymentIntentError';
}

/**
 * Stripe refused the request for its rate limits (429 `rate_limit`) and did nothing: the caller backs off
 * and tries again (the SDK does not retry a plain 429).
 */
export class GatewayRateLimitError extends Error {
  override readonly name = 'GatewayRateLimitError';
}

/** The payment provider, behind the one interface the services use; see `StripePaymentGateway`. */
export interface PaymentGateway {
  createPaymentIntent(request: PaymentIntentRequest): Promise<GatewayPaymentIntent>;
  /** @throws UnknownPaymentIntentError when Stripe does not know the PaymentIntent */
  retrievePaymentIntent(id: string): Promise<GatewayPaymentIntent>;
  /**
   * Cancels the PaymentIntent if it can still be cancelled and returns it as it is afterwards: `canceled`,
   * or the state (`processing`, `succeeded`) that made Stripe refuse, so the caller sees a payment that
   * went through meanwhile instead of an error.
   */
  cancelPaymentIntent(id: string): Promise<GatewayPaymentIntent>;
  /**
   * Refunds the whole PaymentIntent; the idempotency key makes repeated calls refund once, and a payment
   * refunded in full already is left as it is.
   *
   * @throws GatewayRateLimitError when Stripe answers 429
   */
  refundPaymentIntent(id: string, idempotencyKey: string): Promise<void>;
  /**
   * Verifies a webhook's signature against its raw body and returns the event.
   *
   * @throws WebhookSignatureError when the signature does not verify
   * @throws MalformedWebhookEventError when the signed body is not a Stripe event
   */
  verifyWebhook(rawBody: Buffer, signature: string | undefined): GatewayEvent;
}
