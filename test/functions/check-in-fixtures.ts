import { Timestamp } from 'firebase-admin/firestore';
import { createEventAs, type EventJson } from '../support/events';
import { localCloudEnvironment } from '../support/environment';
import { adminFirestore } from '../support/firestore-admin';
import { callFunction, type FunctionResponse } from '../support/http-client';
import { createRegisteredUser, type CompanyAdmin, type RoleUser } from '../support/roles';
import { bookOrFail, bookingWhen, type BookingJson } from './booking-fixtures';

/** A ticket of a confirmed booking as `getBooking` answers it. */
export interface TicketJson {
  readonly id: string;
  readonly code: string;
  readonly qr?: string;
  readonly status: string;
  readonly checkedInAt?: string;
}

/** Delivers a `payment-confirmed` message body the way its push subscription does to `issueTickets`. */
export function pushPaymentConfirmed(data: string, messageId: string): Promise<FunctionResponse<unknown>> {
  const { projectId } = localCloudEnvironment();
  return callFunction(`issueTickets/projects/${projectId}/topics/payment-confirmed`, {
    body: {
      subscription: `projects/${projectId}/subscriptions/payment-confirmed-issue-tickets`,
      message: {
        data: Buffer.from(data).toString('base64'),
        messageId,
        publishTime: new Date().toISOString(),
      },
    },
  });
}

/** A holder with a profile, so that check-in can name them. */
export async function createHolder(name = 'Grace Hopper'): Promise<RoleUser> {
  const user = await createRegisteredUser();
  await adminFirestore()
    .collection('users')
    .doc(user.uid)
    .set({
      name,
      username: `u${user.uid.slice(0, 20)}`,
      email: user.email,
      countryCode: 'DE',
      phoneNumber: '+49 30 1234567',
      role: 'user',
      companyId: null,
      createdAt: Timestamp.now(),
      claimsApplied: true,
    });
  return user;
}

/** A booking of the event confirmed and ticketed, with its owner. */
export interface TicketedBooking {
  readonly holder: RoleUser;
  readonly booking: BookingJson & { readonly tickets: TicketJson[] };
}

/**
 * Books `quantity` tickets and confirms the booking the way a payment would leave it (skipping Stripe,
 * whose flow other tests cover), then has `issueTickets` issue its tickets through its push endpoint.
 */
export async function ticketedBooking(
  event: EventJson,
  quantity: number,
  holder?: RoleUser,
): Promise<TicketedBooking> {
  const owner = holder ?? (await createHolder());
  const held = await bookOrFail(owner, event.id, quantity);
  await adminFirestore().collection('bookings').doc(held.id).update({ status: 'confirmed' });
  const message = {
    bookingId: held.id,
    userId: owner.uid,
    eventId: event.id,
    paymentId: `pay_${held.id}`,
    amount: held.total,
    currency: held.currency,
    confirmedAt: new Date().toISOString(),
  };
  const pushed = await pushPaymentConfirmed(JSON.stringify(message), held.id);
  if (pushed.status !== 204) throw new Error(`issueTickets answered ${pushed.status}`);
  const booking = await bookingWhen(owner, held.id, (read) => (read.tickets?.length ?? 0) === quantity);
  return { holder: owner, booking: booking as TicketedBooking['booking'] };
}

/** An event of `admin`'s company with room for a few bookings. */
export function doorEvent(admin: CompanyAdmin): Promise<EventJson> {
  return createEventAs(admin, { totalTickets: 50, surgeThreshold: 50, maxTicketsPerBooking: 10 });
}

/** Calls `checkIn` as `door` (an admin or staff member). */
export function checkIn(
  door: RoleUser,
  eventId: string,
  code: string,
): Promise<
  FunctionResponse<
    Record<string, unknown> & { ticket?: Record<string, unknown>; checkedInAt?: string; type?: string }
  >
> {
  return callFunction('checkIn', { token: door.idToken, body: { eventId, code } });
}
