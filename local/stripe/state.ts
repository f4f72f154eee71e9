import type Stripe from 'stripe';
import { resourceMissing } from './errors';
import type { SandboxEvent } from './events';
import type { TestCard } from './test-cards';

/**
 * Every object of the sandbox's one account, in memory. Objects are mutated in place by the operations;
 * responses and events always carry copies, so a later change never alters what a client already received.
 */
export class SandboxState {
  readonly paymentIntents = new Map<string, Stripe.PaymentIntent>();
  readonly charges = new Map<string, Stripe.Charge>();
  readonly refunds = new Map<string, Stripe.Refund>();
  /** The PaymentMethods created from test tokens, by their `pm_...` id. */
  readonly paymentMethods = new Map<string, TestCard>();
  readonly events = new Map<string, SandboxEvent>();
  /** PaymentIntents whose refunds fail after creation, as a disputed charge's do (`refund.failed`). */
  readonly failingRefunds = new Set<string>();

  /** The PaymentIntent, or Stripe's "No such payment_intent" (404 for a path id, 400 for a parameter). */
  paymentIntent(id: string, param?: string): Stripe.PaymentIntent {
    return found(this.paymentIntents.get(id), 'payment_intent', id, param);
  }

  charge(id: string, param?: string): Stripe.Charge {
    return found(this.charges.get(id), 'charge', id, param);
  }

  refund(id: string): Stripe.Refund {
    return found(this.refunds.get(id), 'refund', id);
  }

  event(id: string): SandboxEvent {
    return found(this.events.get(id), 'event', id);
  }
}

function found<T>(value: T | undefined, resource: string, id: string, param?: string): T {
  if (value === undefined) throw resourceMissing(resource, id, param);
  return value;
}
