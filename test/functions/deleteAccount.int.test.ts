import { adminAuth, adminFirestore } from '../support/firestore-admin';
import { apiClient, expectData } from '../support/api-client';
import { createSignedInUser } from '../support/auth-users';
import { moveStartToPast } from '../support/events';
import { setCommitFaults } from '../support/firestore-faults';
import { callFunction } from '../support/http-client';
import { createCompanyAdmin, createRegisteredUser } from '../support/roles';
import { deleteAccount, payingPerson, registerPerson, seedPushData } from './account-fixtures';
import { availableTickets, book, problemType } from './booking-fixtures';
import { doorEvent, ticketedBooking } from './check-in-fixtures';
import { joinOrFail, myEntries, soldOutEvent } from './waitlist-fixtures';

const db = () => adminFirestore();

async function stored(path: string): Promise<FirebaseFirestore.DocumentData | undefined> {
  return (await db().doc(path).get()).data();
}

async function authAccountExists(uid: string): Promise<boolean> {
  return adminAuth()
    .getUser(uid)
    .then(
      () => true,
      (error: { code?: string }) => {
        if (error.code === 'auth/user-not-found') return false;
        throw error;
      },
    );
}

/** An outbox message naming `userId`, already published, as the relay leaves one. */
function publishedMessage(topic: string, orderingKey: string, userId: string) {
  return db()
    .collection('outbox')
    .add({ topic, orderingKey, data: JSON.stringify({ userId }), sentAt: new Date() });
}

describe('POST /deleteAccount', () => {
  afterEach(() => setCommitFaults([]));

  it('erases the person, keeps bookings and payments under one pseudonym, and refuses the old token', async () => {
    const { admin, event, person, booking, payment } = await payingPerson(2);
    const { tokenId, notificationId } = await seedPushData(person.uid);
    // Outbox messages naming the person, already published (the sweeper leaves them alone): a notification
    // to them, and a payment message of their booking.
    const notice = await publishedMessage('user-notifications', person.uid, person.uid);
    const paid = await publishedMessage('payment-confirmed', booking.id, person.uid);
    expect(await availableTickets(admin, event.id)).toBe(48);

    expect(expectData(await deleteAccount(person.idToken), 200)).toEqual({ deleted: true });

    // Held tickets are back on sale; the booking and the payment stay, owned by one pseudonym.
    expect(await availableTickets(admin, event.id)).toBe(50);
    const keptBooking = await stored(`bookings/${booking.id}`);
    const keptPayment = await stored(`payments/${payment.id}`);
    expect(keptBooking?.['status']).toBe('cancelled');
    expect(keptBooking?.['userId']).toMatch(/^erased-/);
    expect(keptPayment?.['userId']).toBe(keptBooking?.['userId']);
    const audit = await db().collection('auditLog').where('target.paymentId', '==', payment.id).get();
    expect(audit.size).toBeGreaterThan(0);
    for (const entry of audit.docs) expect(entry.get('actor.uid')).toBe(keptBooking?.['userId']);
    // Nothing kept names the person: no uid, name, email or phone.
    for (const kept of [keptBooking, keptPayment, ...audit.docs.map((entry) => entry.data())]) {
      const text = JSON.stringify(kept);
      for (const personal of [person.uid, person.name, person.email, person.phoneNumber]) {
        expect(text).not.toContain(personal);
      }
    }
    for (const collection of ['bookings', 'payments', 'userEventHolds', 'idempotencyKeys']) {
      expect((await db().collection(collection).where('userId', '==', person.uid).get()).size).toBe(0);
    }
    expect((await db().collection('auditLog').where('actor.uid', '==', person.uid).get()).size).toBe(0);
    expect((await notice.get()).exists).toBe(false);
    expect(JSON.parse(String((await paid.get()).get('data')))).toEqual({ userId: keptBooking?.['userId'] });

    // The profile with its devices and inbox, the username, the device index and the Auth account are gone.
    expect(await stored(`users/${person.uid}`)).toBeUndefined();
    expect(await stored(`users/${person.uid}/devices/${tokenId}`)).toBeUndefined();
    expect(await stored(`users/${person.uid}/notifications/${notificationId}`)).toBeUndefined();
    expect(await stored(`deviceTokens/${tokenId}`)).toBeUndefined();
    expect(await stored(`usernames/${person.username.toLowerCase()}`)).toBeUndefined();
    expect(await authAccountExists(person.uid)).toBe(false);
    // The record forgot the pseudonym: nothing links it to the uid any more.
    expect(await stored(`accountDeletions/${person.uid}`)).toEqual({
      status: 'deleted',
      startedAt: expect.anything(),
      expiresAt: expect.anything(),
    });

    // The old ID token answers 401 to reads and writes, and to a repeated deletion.
    const api = apiClient(person.idToken);
    expect((await api.GET('/me')).response.status).toBe(401);
    expect((await api.GET('/myBookings')).response.status).toBe(401);
    expect((await book(person, { eventId: event.id, quantity: 1 })).response.status).toBe(401);
    expect((await deleteAccount(person.idToken)).response.status).toBe(401);
    // The username is free for someone else.
    await registerPerson(person.username);
  }, 90_000);

  it('cancels and deletes the waitlist entries, and the next in line moves up', async () => {
    const { event } = await soldOutEvent([2]);
    const leaving = await createRegisteredUser();
    const staying = await createRegisteredUser();
    const left = await joinOrFail(leaving, event.id, 1);
    expect((await joinOrFail(staying, event.id, 1)).position).toBe(2);

    expect(expectData(await deleteAccount(leaving.idToken), 200)).toEqual({ deleted: true });

    expect(await stored(`waitlistEntries/${left.id}`)).toBeUndefined();
    expect(await myEntries(staying)).toEqual([expect.objectContaining({ status: 'waiting', position: 1 })]);
  }, 60_000);

  it("refuses an admin's calls once the deletion has started: the role read sees the deletion record", async () => {
    const admin = await createCompanyAdmin();
    const members = () => apiClient(admin.idToken).GET('/companyMembers');
    expect((await members()).response.status).toBe(200);
    await db()
      .collection('accountDeletions')
      .doc(admin.uid)
      .set({ status: 'erasing', pseudonym: 'erased-test', startedAt: new Date() });
    expect((await members()).response.status).toBe(401);
  });

  it('deletes an account that never registered', async () => {
    const account = await createSignedInUser();
    expect(expectData(await deleteAccount(account.idToken), 200)).toEqual({ deleted: true });
    expect(await authAccountExists(account.uid)).toBe(false);
    expect((await apiClient(account.idToken).GET('/me')).response.status).toBe(401);
  });

  it('refuses a body without the confirmation word and changes nothing', async () => {
    const person = await registerPerson();
    for (const body of [{}, { confirm: 'delete' }, { confirm: 'DELETE', now: true }]) {
      const answer = await callFunction('deleteAccount', { token: person.idToken, body });
      expect(answer.status).toBe(400);
    }
    expect(await stored(`users/${person.uid}`)).toBeDefined();
    expect(await stored(`accountDeletions/${person.uid}`)).toBeUndefined();
    expect((await apiClient(person.idToken).GET('/me')).response.status).toBe(200);
  });

  it('refuses with active-tickets while the caller holds tickets for an event to come', async () => {
    const admin = await createCompanyAdmin();
    const event = await doorEvent(admin);
    const { holder } = await ticketedBooking(event, 1);

    const refused = await deleteAccount(holder.idToken);
    expect(refused.response.status).toBe(409);
    expect(refused.error?.type).toBe(problemType('active-tickets'));
    // Refused before anything happened: the account works as before.
    expect(await stored(`accountDeletions/${holder.uid}`)).toBeUndefined();
    expect((await apiClient(holder.idToken).GET('/me')).response.status).toBe(200);

    // Once the event has started the tickets are spent, and the account may go.
    await moveStartToPast(event.id, new Date(Date.now() - 60_000));
    expect(expectData(await deleteAccount(holder.idToken), 200)).toEqual({ deleted: true });
  });

  it('refuses the last admin of a company with events to come, not one with another admin', async () => {
    const admin = await createCompanyAdmin();
    await doorEvent(admin);
    const refused = await deleteAccount(admin.idToken);
    expect(refused.response.status).toBe(409);
    expect(refused.error?.type).toBe(problemType('last-admin'));

    const other = await createCompanyAdmin(admin.companyId);
    expect(expectData(await deleteAccount(admin.idToken), 200)).toEqual({ deleted: true });
    const last = await deleteAccount(other.idToken);
    expect(last.error?.type).toBe(problemType('last-admin'));

    // A company with no events to come does not need an admin.
    const alone = await createCompanyAdmin();
    expect(expectData(await deleteAccount(alone.idToken), 200)).toEqual({ deleted: true });
  });

  it('finishes a deletion that failed half-way when retried with the same token', async () => {
    const { event, person, booking, payment } = await payingPerson(1);
    // The bookings are erased before the payments: this fails the deletion between the two (Commit is not
    // retried on DEADLINE_EXCEEDED, so the failure reaches the caller at once).
    await setCommitFaults([
      {
        code: 'DEADLINE_EXCEEDED',
        when: 'before-apply',
        documentPrefix: `payments/${payment.id}`,
        fraction: 1,
      },
    ]);

    expect((await deleteAccount(person.idToken)).response.status).toBe(500);
    const pseudonym: unknown = (await stored(`bookings/${booking.id}`))?.['userId'];
    expect(pseudonym).toMatch(/^erased-/);
    expect((await stored(`payments/${payment.id}`))?.['userId']).toBe(person.uid);
    // Half-deleted, the account may do nothing but finish its deletion.
    expect((await apiClient(person.idToken).GET('/me')).response.status).toBe(401);
    expect((await book(person, { eventId: event.id, quantity: 1 })).response.status).toBe(401);
    expect(await authAccountExists(person.uid)).toBe(true);

    await setCommitFaults([]);
    expect(expectData(await deleteAccount(person.idToken), 200)).toEqual({ deleted: true });
    expect((await stored(`payments/${payment.id}`))?.['userId']).toBe(pseudonym);
    expect(await stored(`users/${person.uid}`)).toBeUndefined();
    expect(await authAccountExists(person.uid)).toBe(false);
  }, 90_000);

  it('leaves no booking of the user behind when they book while their account is deleted', async () => {
    const admin = await createCompanyAdmin();
    const event = await doorEvent(admin);
    const user = await createRegisteredUser();
    const books = Array.from({ length: 6 }, () => book(user, { eventId: event.id, quantity: 1 }));
    const [deleted, ...booked] = await Promise.all([deleteAccount(user.idToken), ...books]);

    expect(deleted.response.status).toBe(200);
    for (const answer of booked) expect([201, 401, 409]).toContain(answer.response.status);
    expect((await db().collection('bookings').where('userId', '==', user.uid).get()).size).toBe(0);
    const ofEvent = await db().collection('bookings').where('eventId', '==', event.id).get();
    for (const stray of ofEvent.docs) {
      expect(stray.get('status')).toBe('cancelled');
      expect(stray.get('userId')).toMatch(/^erased-/);
    }
    expect(await availableTickets(admin, event.id)).toBe(50);
  });
});
