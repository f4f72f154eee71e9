import type Stripe from 'stripe';
import type { StripeErrorBody } from './errors';
import { httpRequest } from './http-client';

/** Any `pk_test_` key is valid in the sandbox; this one is used when none is given. */
export const SANDBOX_PUBLISHABLE_KEY = 'pk_test_local_sandbox';

/** A client-side confirmation, as the mobile PaymentSheet makes it with what the backend handed over. */
export interface ClientConfirmation {
  /** Base URL of the sandbox, e.g. `http://127.0.0.1:12111`. */
  sandboxUrl: string;
  /** The PaymentIntent's `client_secret` (`pi_..._secret_...`), the only secret a mobile app holds. */
  clientSecret: string;
  /** A test PaymentMethod: `pm_card_visa` (the default) pays, `pm_card_chargeDeclined` is declined. */
  paymentMethod?: string;
  publishableKey?: string;
}

/** The confirmed PaymentIntent, or the error Stripe answered (a declined card is a 402 `card_error`). */
export type ClientConfirmationResult =
  { ok: true; paymentIntent: Stripe.PaymentIntent } | { ok: false; status: number; error: StripeErrorBody };

/**
 * Pays a PaymentIntent the way the mobile SDKs do: `POST /v1/payment_intents/{id}/confirm` with a
 * publishable key, the client secret and a payment method. Drives the "customer pays" step of a test or of
 * `local/stripe/pay.ts`.
 */
export async function confirmLikePaymentSheet(
  confirmation: ClientConfirmation,
): Promise<ClientConfirmationResult> {
  const id = paymentIntentIdOf(confirmation.clientSecret);
  const response = await httpRequest(
    `${confirmation.sandboxUrl}/v1/payment_intents/${encodeURIComponent(id)}/confirm`,
    {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${confirmation.publishableKey ?? SANDBOX_PUBLISHABLE_KEY}`,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({
        payment_method: confirmation.paymentMethod ?? 'pm_card_visa',
        client_secret: confirmation.clientSecret,
      }).toString(),
    },
  );
  const body: unknown = JSON.parse(response.body);
  // The sandbox answers Stripe's documented shapes: the PaymentIntent, or { error } on failure.
  if (response.status === 200) return { ok: true, paymentIntent: body as Stripe.PaymentIntent };
  return { ok: false, status: response.status, error: (body as { error: StripeErrorBody }).error };
}

/** `pi_123_secret_abc` → `pi_123`. */
export function paymentIntentIdOf(clientSecret: string): string {
  const end = clientSecret.indexOf('_secret_');
  if (!clientSecret.startsWith('pi_') || end < 0) {
    throw new Error(`Not a PaymentIntent client secret: ${clientSecret}`);
  }
  return clientSecret.slice(0, end);
}
