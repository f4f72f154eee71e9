import { systemClock } from '../../shared/time/clock';
import { BookingAudience } from '../../shared/notifications/event-audience';
import { EventUpdateFanout } from '../../shared/notifications/event-update-fanout';
import { FANOUTS_COLLECTION } from '../../shared/notifications/event-update-jobs';
import {
  USER_NOTIFICATIONS_TOPIC,
  userNotificationSchema,
  UserNotificationOutbox,
  type UserNotification,
} from '../../shared/notifications/user-notification';
import { OutboxRelay } from '../../shared/pubsub/outbox-relay';
import { OutboxRepository } from '../../shared/pubsub/outbox-repository';
import { RecordingPublisher } from '../shared/payments/payment-fixtures';
import { apiClient, expectData } from '../support/api-client';
import { createEventAs, type EventJson } from '../support/events';
import { adminFirestore } from '../support/firestore-admin';
import { callFunction } from '../support/http-client';
import { createCompanyAdmin, createRegisteredUser, type CompanyAdmin, type RoleUser } from '../support/roles';
import { bookOrFail } from './booking-fixtures';
import { joinOrFail, soldOutEvent } from './waitlist-fixtures';

/** The event.updated notifications of `eventId` in the outbox, by user. */
async function announced(eventId: string): Promise<Map<string, UserNotification[]>> {
  const snapshot = await adminFirestore()
    .collection('outbox')
    .where('topic', '==', USER_NOTIFICATIONS_TOPIC)
    .get();
  const byUser = new Map<string, UserNotification[]>();
  for (const doc of snapshot.docs) {
    const message = userNotificationSchema.parse(JSON.parse(doc.get('data') as string));
    if (message.type !== 'event.updated' || message.eventId !== eventId) continue;
    byUser.set(message.userId, [...(byUser.get(message.userId) ?? []), message]);
  }
  return byUser;
}

async function update(admin: CompanyAdmin, event: EventJson, changes: { venue?: string; name?: string }) {
  return expectData(
    await apiClient(admin.idToken).POST('/updateEvent', {
      body: { id: event.id, version: event.version, ...changes },
    }),
    200,
  ).event;
}

async function setStatus(bookingId: string, status: string) {
  await adminFirestore().collection('bookings').doc(bookingId).update({ status });
}

/** An event with an audience: held, confirmed, refund_pending (one user booking twice) and two outsiders. */
async function eventWithAudience() {
  const admin = await createCompanyAdmin();
  const event = await createEventAs(admin, { totalTickets: 50, surgeThreshold: 50 });
  const users = await Promise.all(Array.from({ length: 5 }, () => createRegisteredUser()));
  const [holder, payer, refunding, cancelled, expired] = users as [
    RoleUser,
    RoleUser,
    RoleUser,
    RoleUser,
    RoleUser,
  ];
  await bookOrFail(holder, event.id, 1);
  await bookOrFail(holder, event.id, 1);
  await setStatus((await bookOrFail(payer, event.id, 1)).id, 'confirmed');
  await setStatus((await bookOrFail(refunding, event.id, 1)).id, 'refund_pending');
  await setStatus((await bookOrFail(cancelled, event.id, 1)).id, 'cancelled');
  await setStatus((await bookOrFail(expired, event.id, 1)).id, 'expired');
  return { admin, event, audience: [holder, payer, refunding], outsiders: [cancelled, expired] };
}

describe('event.updated fan-out', () => {
  it('announces a new venue once per user with a held, confirmed or refund_pending booking', async () => {
    const { admin, event, audience, outsiders } = await eventWithAudience();
    const updated = await update(admin, event, { venue: 'Olympiastadion' });

    expect((await callFunction('fanOutNotifications', { method: 'POST' })).status).toBe(200);
    expect((await callFunction('fanOutNotifications', { method: 'POST' })).status).toBe(200);

    const byUser = await announced(event.id);
    expect([...byUser.keys()].sort()).toEqual(audience.map((user) => user.uid).sort());
    for (const user of audience) {
      expect(byUser.get(user.uid)).toEqual([
        expect.objectContaining({
          data: { version: updated.version, startsAt: updated.startsAt, venue: 'Olympiastadion' },
        }),
      ]);
    }
    for (const user of outsiders) expect(byUser.get(user.uid)).toBeUndefined();
    const job = await adminFirestore()
      .collection(FANOUTS_COLLECTION)
      .doc(`${event.id}_v${updated.version}`)
      .get();
    expect(job.data()).toMatchObject({ status: 'done', recipients: 3 });
  });

  it('announces it to users waiting on the waitlist too, once each', async () => {
    const { admin, event, holder } = await soldOutEvent([2]);
    const waiting = await createRegisteredUser();
    await joinOrFail(waiting, event.id, 1);
    await update(admin, event, { venue: 'Waldbühne' });

    expect((await callFunction('fanOutNotifications', { method: 'POST' })).status).toBe(200);

    const byUser = await announced(event.id);
    expect([...byUser.keys()].sort()).toEqual([holder.uid, waiting.uid].sort());
    expect(byUser.get(waiting.uid)).toHaveLength(1);
  });

  it('announces nothing for a change that moves neither the start nor the venue', async () => {
    const { admin, event } = await eventWithAudience();
    const updated = await update(admin, event, { name: 'A new name' });
    expect((await callFunction('fanOutNotifications', { method: 'POST' })).status).toBe(200);
    expect((await announced(event.id)).size).toBe(0);
    const job = await adminFirestore()
      .collection(FANOUTS_COLLECTION)
      .doc(`${event.id}_v${updated.version}`)
      .get();
    expect(job.exists).toBe(false);
  });

  it('works a large audience in small pages across runs and still notifies each user once', async () => {
    const { admin, event, audience } = await eventWithAudience();
    await update(admin, event, { venue: 'Waldbühne' });
    const db = adminFirestore();
    const outbox = new OutboxRepository(db);
    const fanout = new EventUpdateFanout(
      db,
      [new BookingAudience(db)],
      new UserNotificationOutbox(outbox),
      new OutboxRelay(outbox, new RecordingPublisher(), systemClock),
      systemClock,
      2,
    );
    // A run whose budget ends after one page leaves the job pending, as a crash after a page would. Jobs
    // of other tests may be older: each such run works one page of the oldest pending job.
    const job = adminFirestore()
      .collection(FANOUTS_COLLECTION)
      .doc(`${event.id}_v${event.version + 1}`);
    for (let run = 0; run < 100 && (await job.get()).get('cursor') === null; run += 1) await fanout.run(0);
    expect((await job.get()).data()).toMatchObject({ status: 'pending', cursor: expect.any(String) });
    await Promise.all([fanout.run(), fanout.run()]);
    expect((await job.get()).data()).toMatchObject({ status: 'done', recipients: 3 });

    const byUser = await announced(event.id);
    expect([...byUser.keys()].sort()).toEqual(audience.map((user) => user.uid).sort());
    for (const user of audience) expect(byUser.get(user.uid)).toHaveLength(1);
  });
});
