import { apiClient, expectData } from '../support/api-client';
import { adminFirestore } from '../support/firestore-admin';
import { moveStartToPast } from '../support/events';
import { callFunction } from '../support/http-client';
import { createRegisteredUser, type RoleUser } from '../support/roles';
import {
  availableTickets,
  book,
  lapseHold,
  payAndConfirm,
  problemType,
  storedStatus,
  type BookingJson,
} from './booking-fixtures';
import { entryOf, joinOrFail, soldOutEvent, sweepOffers } from './waitlist-fixtures';

function cancel(user: RoleUser, bookingId: string) {
  return apiClient(user.idToken).POST('/cancelBooking', { body: { bookingId } });
}

async function getBooking(user: RoleUser, id: string): Promise<BookingJson> {
  return expectData(await apiClient(user.idToken).GET('/getBooking', { params: { query: { id } } }), 200)
    .booking;
}

function only<T>(items: readonly T[]): T {
  const [item] = items;
  if (item === undefined || items.length !== 1) throw new Error(`expected one item, got ${items.length}`);
  return item;
}

describe('waitlist offers', () => {
  it('offers a cancelled hold to the earliest entry that fits, as a held booking priced when offered', async () => {
    const { event, holder, holds } = await soldOutEvent([2, 1]);
    const big = await createRegisteredUser();
    const small = await createRegisteredUser();
    const bigEntry = await joinOrFail(big, event.id, 3);
    const smallEntry = await joinOrFail(small, event.id, 2);

    expect((await cancel(holder, only(holds.filter((hold) => hold.quantity === 2)).id)).response.status).toBe(
      200,
    );

    // Two returned: the first entry asks for three and keeps its place; the second fits and is offered.
    const offered = await entryOf(small, smallEntry.id);
    expect(offered).toMatchObject({ status: 'offered', bookingId: expect.any(String) });
    expect(offered.position).toBeUndefined();
    expect(await entryOf(big, bigEntry.id)).toMatchObject({ status: 'waiting', position: 1 });
    const offer = await getBooking(small, offered.bookingId ?? '');
    expect(offer).toMatchObject({
      eventId: event.id,
      userId: small.uid,
      quantity: 2,
      status: 'held',
      unitPrices: [event.basePrice, event.basePrice],
      total: 2 * event.basePrice,
    });
    expect(Date.parse(offer.expiresAt) - Date.parse(offer.createdAt)).toBe(event.holdMinutes * 60_000);
    expect(await availableTickets(small, event.id)).toBe(0);
  });

  it('lets the waitlist win when an outsider books while a returned ticket fits a waiting entry', async () => {
    const { event, holder, holds } = await soldOutEvent([1, 1, 1]);
    const waiting = await createRegisteredUser();
    const entry = await joinOrFail(waiting, event.id, 1);
    const outsiders = await Promise.all(Array.from({ length: 4 }, () => createRegisteredUser()));
    const returned = only(holds.slice(0, 1));

    const [cancelled, ...attempts] = await Promise.all([
      cancel(holder, returned.id),
      ...outsiders.flatMap((outsider) =>
        Array.from({ length: 3 }, () => book(outsider, { eventId: event.id, quantity: 1 })),
      ),
    ]);

    expect(cancelled.response.status).toBe(200);
    for (const attempt of attempts) {
      expect(attempt.response.status).toBe(409);
      expect(attempt.error?.type).toBe(problemType('sold-out'));
    }
    expect(await entryOf(waiting, entry.id)).toMatchObject({ status: 'offered' });
    expect(await availableTickets(waiting, event.id)).toBe(0);
  });

  it('moves an unpaid offer to the next entry when it expires', async () => {
    const { event, holder, holds } = await soldOutEvent([1]);
    const first = await createRegisteredUser();
    const second = await createRegisteredUser();
    const firstEntry = await joinOrFail(first, event.id, 1);
    const secondEntry = await joinOrFail(second, event.id, 1);
    await cancel(holder, only(holds).id);
    const offered = await entryOf(first, firstEntry.id);
    expect(offered.status).toBe('offered');
    expect(await entryOf(second, secondEntry.id)).toMatchObject({ status: 'waiting', position: 1 });

    await lapseHold(await getBooking(first, offered.bookingId ?? ''));
    expect((await callFunction('releaseExpiredHolds', { method: 'POST' })).status).toBe(200);

    expect(await entryOf(first, firstEntry.id)).toMatchObject({ status: 'expired' });
    expect(await storedStatus(offered.bookingId ?? '')).toBe('expired');
    const next = await entryOf(second, secondEntry.id);
    expect(next).toMatchObject({ status: 'offered', bookingId: expect.any(String) });
    expect(next.bookingId).not.toBe(offered.bookingId);
  });

  it('marks a paid offer converted, and a declined one cancelled with its tickets going on', async () => {
    const { event, holder, holds } = await soldOutEvent([1, 1]);
    const payer = await createRegisteredUser();
    const decliner = await createRegisteredUser();
    const third = await createRegisteredUser();
    const payerEntry = await joinOrFail(payer, event.id, 1);
    const declinerEntry = await joinOrFail(decliner, event.id, 1);
    const thirdEntry = await joinOrFail(third, event.id, 1);
    await cancel(holder, holds[0]?.id ?? '');
    await cancel(holder, holds[1]?.id ?? '');
    const paid = await entryOf(payer, payerEntry.id);
    const declined = await entryOf(decliner, declinerEntry.id);

    await payAndConfirm(payer, paid.bookingId ?? '');
    expect((await cancel(decliner, declined.bookingId ?? '')).response.status).toBe(200);

    expect(await entryOf(payer, payerEntry.id)).toMatchObject({ status: 'converted' });
    expect(await entryOf(decliner, declinerEntry.id)).toMatchObject({ status: 'cancelled' });
    expect(await entryOf(third, thirdEntry.id)).toMatchObject({ status: 'offered' });
  });

  it('offers tickets added by a growing totalTickets at the sweep', async () => {
    const { admin, event } = await soldOutEvent([2]);
    const user = await createRegisteredUser();
    const entry = await joinOrFail(user, event.id, 2);
    const updated = await apiClient(admin.idToken).POST('/updateEvent', {
      body: { id: event.id, version: event.version, totalTickets: 4 },
    });
    expect(updated.response.status).toBe(200);
    expect(await entryOf(user, entry.id)).toMatchObject({ status: 'waiting' });

    expect((await sweepOffers()).status).toBe(200);

    expect(await entryOf(user, entry.id)).toMatchObject({ status: 'offered' });
  });

  it('expires waiting entries once the event has started, and makes no offer then', async () => {
    const { event } = await soldOutEvent([1]);
    const user = await createRegisteredUser();
    const entry = await joinOrFail(user, event.id, 1);
    await moveStartToPast(event.id, new Date(Date.now() - 60_000));

    expect((await sweepOffers()).status).toBe(200);

    expect(await entryOf(user, entry.id)).toEqual({ ...entry, status: 'expired', position: undefined });
  });

  it('makes no offer for a cancelled event', async () => {
    const { event, holder, holds } = await soldOutEvent([1]);
    const user = await createRegisteredUser();
    const entry = await joinOrFail(user, event.id, 1);
    await adminFirestore().collection('events').doc(event.id).update({ status: 'cancelled' });

    await cancel(holder, only(holds).id);
    await sweepOffers();

    expect(await entryOf(user, entry.id)).toMatchObject({ status: 'waiting' });
  });
});
