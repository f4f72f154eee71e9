import { createHmac } from 'node:crypto';
import { unixSeconds } from './objects';

/**
 * The `Stripe-Signature` header of a webhook delivery, as Stripe computes it (docs.stripe.com/webhooks/signature):
 * `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<payload>" keyed with the endpoint's secret>`. The timestamp is
 * the time of the attempt, so every retry carries a fresh one.
 */
export function signatureHeader(payload: string, secret: string, timestamp: number = unixSeconds()): string {
  const signature = createHmac('sha256', secret).update(`${timestamp}.${payload}`, 'utf8').digest('hex');
  return `t=${timestamp},v1=${signature}`;
}
