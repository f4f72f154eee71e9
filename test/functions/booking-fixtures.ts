import { setTimeout as sleep } from 'node:timers/promises';
import { FieldPath, Timestamp } from 'firebase-admin/firestore';
import { confirmLikePaymentSheet } from '../../local/stripe/payment-sheet';
import type { EventJson } from '../support/events';
import { adminFirestore } from '../support/firestore-admin';
import { callFunction, type FunctionResponse } from '../support/http-client';
import type { RoleUser } from '../support/roles';

/** The `booking` object of the contract, as the functions answer it. */
export interface BookingJson {
  readonly id: string;
  readonly eventId: string;
  readonly userId: string;
  readonly quantity: number;
  readonly status: string;
  readonly unitPrices: number[];
  readonly total: number;
  readonly currency: string;
  readonly expiresAt: string;
  readonly createdAt: string;
  readonly tickets?: { id: string; code: string; qr?: string; status: string; checkedInAt?: string }[];
}

/** A problem+json answer. */
export interface ProblemJson {
  readonly type: string;
  readonly status: number;
  readonly detail: string;
  readonly errors?: { path: string; message: string }[];
}

/** The problem `type` of a slug. */
export function problemType(slug: string): string {
  return `https://errors.event-manager.dev/${slug}`;
}

/** Calls `book` as `user`, with an Idempotency-Key when given. */
export function book(
  user: RoleUser,
  body: Record<string, unknown>,
  idempotencyKey?: string,
): Promise<FunctionResponse<{ booking: BookingJson } & ProblemJson>> {
  return callFunction('book', {
    token: user.idToken,
    body,
    ...(idempotencyKey === undefined ? {} : { headers: { 'Idempotency-Key': idempotencyKey } }),
  });
}

/** Books and fails the test unless the booking is created. */
export async function bookOrFail(user: RoleUser, eventId: string, quantity: number): Promise<BookingJson> {
  const response = await book(user, { eventId, quantity });
  if (response.status !== 201)
    throw new Error(`book answered ${response.status}: ${JSON.stringify(response.body)}`);
  return response.body.booking;
}

/** The event's `availableTickets` as `getEvent` reports it. */
export async function availableTickets(user: RoleUser, eventId: string): Promise<number> {
  const response = await callFunction<{ event: EventJson }>('getEvent', {
    token: user.idToken,
    query: { id: eventId },
  });
  if (response.status !== 200) throw new Error(`getEvent answered ${response.status}`);
  return response.body.event.availableTickets;
}

/**
 * Moves a hold's payment window into the past, as if its minutes had run out: the booking's `expiresAt`
 * and the matching entry of the user's open holds, which the service keeps in step.
 */
export async function lapseHold(booking: BookingJson): Promise<void> {
  const past = Timestamp.fromMillis(Date.now() - 60_000);
  const db = adminFirestore();
  await db.collection('bookings').doc(booking.id).update({ expiresAt: past });
  const holds = db.collection('userEventHolds').doc(`${booking.eventId}_${booking.userId}`);
  // A hold that already ended has no entry left to move.
  if ((await holds.get()).get(new FieldPath('holds', booking.id)) !== undefined) {
    await holds.update(new FieldPath('holds', booking.id, 'expiresAt'), past);
  }
}

/** The stored status of a booking, read directly from Firestore. */
export async function storedStatus(bookingId: string): Promise<string> {
  return (await adminFirestore().collection('bookings').doc(bookingId).get()).get('status') as string;
}

/** The `payment` object of `POST /pay`. */
export interface PaymentJson {
  readonly id: string;
  readonly bookingId: string;
  readonly amount: number;
  readonly currency: string;
  readonly status: string;
  readonly stripePaymentIntentId: string;
  readonly clientSecret: string;
}

/** Base URL of the local cloud's Stripe sandbox. */
export function stripeSandboxUrl(): string {
  const host = process.env['STRIPE_API_HOST'];
  const port = process.env['STRIPE_API_PORT'];
  if (!host || !port) throw new Error('the local cloud exports no Stripe sandbox address');
  return `http://${host}:${port}`;
}

/** Calls `pay` as `user` and fails the test unless it answers 200. */
export async function payOrFail(user: RoleUser, bookingId: string): Promise<PaymentJson> {
  const response = await callFunction<{ payment: PaymentJson }>('pay', {
    token: user.idToken,
    body: { bookingId },
  });
  if (response.status !== 200)
    throw new Error(`pay answered ${response.status}: ${JSON.stringify(response.body)}`);
  return response.body.payment;
}

/** Reads the booking until `done` holds: webhooks and Pub/Sub pushes arrive asynchronously. */
export async function bookingWhen(
  user: RoleUser,
  id: string,
  done: (booking: BookingJson) => boolean,
): Promise<BookingJson> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const response = await callFunction<{ booking: BookingJson }>('getBooking', {
      token: user.idToken,
      query: { id },
    });
    if (response.status === 200 && done(response.body.booking)) return response.body.booking;
    await sleep(100);
  }
  throw new Error(`booking ${id} never reached the expected state`);
}

/** Pays a held booking with a card that succeeds and waits until the webhook has confirmed it. */
export async function payAndConfirm(user: RoleUser, bookingId: string): Promise<BookingJson> {
  const payment = await payOrFail(user, bookingId);
  const paid = await confirmLikePaymentSheet({
    sandboxUrl: stripeSandboxUrl(),
    clientSecret: payment.clientSecret,
  });
  if (!paid.ok) throw new Error(`the sandbox refused the payment: ${JSON.stringify(paid.error)}`);
  return bookingWhen(user, bookingId, (booking) => booking.status === 'confirmed');
}
