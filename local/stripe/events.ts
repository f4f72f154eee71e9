import type Stripe from 'stripe';
import { newId, unixSeconds } from './objects';
import type { SandboxState } from './state';

/** The event types the sandbox creates. */
export type SandboxEventType =
  | 'payment_intent.created'
  | 'payment_intent.succeeded'
  | 'payment_intent.payment_failed'
  | 'payment_intent.canceled'
  | 'charge.succeeded'
  | 'charge.failed'
  | 'charge.refunded'
  | 'refund.created'
  | 'refund.failed';

/** The objects events carry. */
export type SandboxEventObject = Stripe.PaymentIntent | Stripe.Charge | Stripe.Refund;

/** The PaymentIntent an event is about: its own object, or the one its charge or refund belongs to. */
export function paymentIntentOfEvent(event: SandboxEvent): string | undefined {
  const object = event.data.object;
  if (object.object === 'payment_intent') return object.id;
  const paymentIntent = object.payment_intent;
  return typeof paymentIntent === 'string' ? paymentIntent : paymentIntent?.id;
}

/** A Stripe Event object (docs.stripe.com/api/events/object) with a snapshot of its object. */
export interface SandboxEvent extends Omit<Stripe.EventBase, 'type' | 'data'> {
  type: SandboxEventType;
  data: { object: SandboxEventObject };
}

/** The API request that caused an event, as `event.request` reports it. */
export interface RequestInfo {
  id: string;
  idempotencyKey: string | null;
}

/** What an API operation works with: the account's objects and a way to record events. */
export interface OperationContext {
  readonly state: SandboxState;
  /** Records an event carrying a snapshot of `object` as it is now. */
  emit(type: SandboxEventType, object: SandboxEventObject): void;
}

/**
 * Records the events of one API request, in the order they happen, so that the router hands them to webhook
 * delivery once the request is done, whatever its outcome (a declined card still produces events).
 */
export class EventRecorder implements OperationContext {
  readonly recorded: SandboxEvent[] = [];

  constructor(
    readonly state: SandboxState,
    private readonly request: RequestInfo,
    private readonly apiVersion: string,
    /** How many webhook endpoints will receive the events (`pending_webhooks`). */
    private readonly endpointCount: number,
  ) {}

  emit(type: SandboxEventType, object: SandboxEventObject): void {
    const event: SandboxEvent = {
      id: newId('evt'),
      object: 'event',
      api_version: this.apiVersion,
      created: unixSeconds(),
      data: { object: structuredClone(object) },
      livemode: false,
      pending_webhooks: this.endpointCount,
      request: { id: this.request.id, idempotency_key: this.request.idempotencyKey },
      type,
    };
    this.state.events.set(event.id, event);
    this.recorded.push(event);
  }
}
