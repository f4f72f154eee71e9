import { setTimeout as sleep } from 'node:timers/promises';
import { FieldPath, Timestamp } from 'firebase-admin/firestore';
import { confirmLikePaymentSheet } from '../../local/stripe/payment-sheet';
import type { Booking, Payment, Problem } from '@event-manager/client';
import { apiClient, expectData } from '../support/api-client';
import { adminFirestore } from '../support/firestore-admin';
import type { RoleUser } from '../support/roles';

/** The `booking` object of the contract, as the functions answer it. */
export type BookingJson = Booking;

/** A problem+json answer. */
export type ProblemJson = Problem;

/** The problem `type` of a slug. */
export function problemType(slug: string): string {
  return `https://errors.event-manager.dev/${slug}`;
}

/** Calls `book` as `user` through the typed client, with an Idempotency-Key when given. */
export function book(user: RoleUser, body: { eventId: string; quantity: number }, idempotencyKey?: string) {
  return apiClient(user.idToken).POST('/book', {
    body,
    ...(idempotencyKey === undefined ? {} : { params: { header: { 'Idempotency-Key': idempotencyKey } } }),
  });
}

/** Books and fails the test unless the booking is created. */
export async function bookOrFail(user: RoleUser, eventId: string, quantity: number): Promise<BookingJson> {
  return expectData(await book(user, { eventId, quantity }), 201).booking;
}

/** The event's `availableTickets` as `getEvent` reports it. */
export async function availableTickets(user: RoleUser, eventId: string): Promise<number> {
  const answer = await apiClient(user.idToken).GET('/getEvent', { params: { query: { id: eventId } } });
  return expectData(answer, 200).event.availableTickets;
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

/** Base URL of the local cloud's Stripe sandbox. */
export function stripeSandboxUrl(): string {
  const host = process.env['STRIPE_API_HOST'];
  const port = process.env['STRIPE_API_PORT'];
  if (!host || !port) throw new Error('the local cloud exports no Stripe sandbox address');
  return `http://${host}:${port}`;
}

/** Calls `pay` as `user` and fails the test unless it answers 200. */
export async function payOrFail(user: RoleUser, bookingId: string): Promise<Payment> {
  return expectData(await apiClient(user.idToken).POST('/pay', { body: { bookingId } }), 200).payment;
}

/** Reads the booking until `done` holds: webhooks and Pub/Sub pushes arrive asynchronously. */
export async function bookingWhen(
  user: RoleUser,
  id: string,
  done: (booking: BookingJson) => boolean,
): Promise<BookingJson> {
  const api = apiClient(user.idToken);
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const { data } = await api.GET('/getBooking', { params: { query: { id } } });
    if (data !== undefined && done(data.booking)) return data.booking;
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
