import { randomUUID } from 'node:crypto';
import type { DocumentData } from 'firebase-admin/firestore';
import { createSignedInUser } from '../support/auth-users';
import { createEventAs, moveStartToPast } from '../support/events';
import { adminFirestore } from '../support/firestore-admin';
import { apiClient, expectData } from '../support/api-client';
import { callFunction } from '../support/http-client';
import { createCompanyAdmin, createRegisteredUser } from '../support/roles';
import {
  availableTickets,
  book,
  bookOrFail,
  lapseHold,
  problemType,
  storedStatus,
  type ProblemJson,
} from './booking-fixtures';

const MINUTE_MS = 60_000;

async function bookingsOfEvent(eventId: string): Promise<DocumentData[]> {
  const snapshot = await adminFirestore().collection('bookings').where('eventId', '==', eventId).get();
  return snapshot.docs.map((document) => document.data());
}

describe('POST /book', () => {
  it('holds tickets at the base price until holdMinutes from now', async () => {
    const admin = await createCompanyAdmin();
    const event = await createEventAs(admin, { totalTickets: 10, surgeThreshold: 5, holdMinutes: 7 });
    const user = await createRegisteredUser();
    const before = Date.now();
    const { data, response } = await book(user, { eventId: event.id, quantity: 2 });
    expect(response.status).toBe(201);
    const booking = expectData({ data, response }, 201).booking;
    expect(booking).toEqual({
      id: expect.stringMatching(/^[A-Za-z0-9]{20}$/),
      eventId: event.id,
      userId: user.uid,
      quantity: 2,
      status: 'held',
      unitPrices: [2500, 2500],
      total: 5000,
      currency: 'EUR',
      expiresAt: expect.stringMatching(/Z$/),
      createdAt: expect.stringMatching(/Z$/),
    });
    const expiresIn = Date.parse(booking.expiresAt) - Date.parse(booking.createdAt);
    expect(expiresIn).toBe(7 * MINUTE_MS);
    expect(Date.parse(booking.createdAt)).toBeGreaterThanOrEqual(before - 1000);
    expect(await availableTickets(user, event.id)).toBe(8);
  });

  it('prices a booking that crosses the surge threshold ticket by ticket', async () => {
    const admin = await createCompanyAdmin();
    const event = await createEventAs(admin, { totalTickets: 10, surgeThreshold: 3 });
    await bookOrFail(await createRegisteredUser(), event.id, 2);
    const { data, response } = await book(await createRegisteredUser(), { eventId: event.id, quantity: 3 });
    expect(response.status).toBe(201);
    expect(data?.booking.unitPrices).toEqual([2500, 4000, 4000]);
    expect(data?.booking.total).toBe(10_500);
  });

  it('sells exactly the tickets there are under 200 concurrent requests, exactly surgeThreshold at base price', async () => {
    const admin = await createCompanyAdmin();
    const event = await createEventAs(admin, { totalTickets: 50, surgeThreshold: 20 });
    const users = await Promise.all(Array.from({ length: 100 }, () => createRegisteredUser()));
    const responses = await Promise.all(
      [...users, ...users].map((user) => book(user, { eventId: event.id, quantity: 1 })),
    );
    const created = responses.filter((answer) => answer.response.status === 201);
    const refused = responses.filter((answer) => answer.response.status !== 201);
    expect(created).toHaveLength(50);
    const unitPrices = created.flatMap((answer) => answer.data?.booking.unitPrices ?? []);
    expect(unitPrices.filter((price) => price === 2500)).toHaveLength(20);
    expect(unitPrices.filter((price) => price === 4000)).toHaveLength(30);
    for (const answer of refused) {
      expect(answer.response.status).toBe(409);
      expect(answer.error?.type).toBe(problemType('sold-out'));
    }
    expect(await bookingsOfEvent(event.id)).toHaveLength(50);
    expect(await availableTickets(users[0] ?? admin, event.id)).toBe(0);
  }, 180_000);

  it('answers sold-out when fewer tickets are left than asked for, and changes nothing', async () => {
    const admin = await createCompanyAdmin();
    const event = await createEventAs(admin, { totalTickets: 5, surgeThreshold: 5 });
    await bookOrFail(await createRegisteredUser(), event.id, 4);
    const user = await createRegisteredUser();
    const { error, response } = await book(user, { eventId: event.id, quantity: 2 });
    expect(response.status).toBe(409);
    expect(error?.type).toBe(problemType('sold-out'));
    expect(await availableTickets(user, event.id)).toBe(1);
    expect((await book(user, { eventId: event.id, quantity: 1 })).response.status).toBe(201);
  });

  it('releases lapsed holds of the event before answering sold-out', async () => {
    const admin = await createCompanyAdmin();
    const event = await createEventAs(admin, { totalTickets: 2, surgeThreshold: 2 });
    const lapsed = await bookOrFail(await createRegisteredUser(), event.id, 2);
    await lapseHold(lapsed);
    const { data, response } = await book(await createRegisteredUser(), { eventId: event.id, quantity: 2 });
    expect(response.status).toBe(201);
    expect(data?.booking.unitPrices).toEqual([2500, 2500]);
    expect(await storedStatus(lapsed.id)).toBe('expired');
  });

  describe('anti-hoarding', () => {
    it('caps the tickets one user holds on one event at maxTicketsPerBooking', async () => {
      const admin = await createCompanyAdmin();
      const event = await createEventAs(admin, { maxTicketsPerBooking: 4 });
      const user = await createRegisteredUser();
      const first = await bookOrFail(user, event.id, 3);
      const refused = await book(user, { eventId: event.id, quantity: 2 });
      expect(refused.response.status).toBe(409);
      expect(refused.error?.type).toBe(problemType('hold-limit-reached'));
      expect((await book(user, { eventId: event.id, quantity: 1 })).response.status).toBe(201);
      await apiClient(user.idToken).POST('/cancelBooking', { body: { bookingId: first.id } });
      expect((await book(user, { eventId: event.id, quantity: 3 })).response.status).toBe(201);
    });

    it('holds the cap when one user races many requests', async () => {
      const admin = await createCompanyAdmin();
      const event = await createEventAs(admin, { maxTicketsPerBooking: 4 });
      const user = await createRegisteredUser();
      const responses = await Promise.all(
        Array.from({ length: 6 }, () => book(user, { eventId: event.id, quantity: 2 })),
      );
      expect(responses.filter((answer) => answer.response.status === 201)).toHaveLength(2);
      for (const answer of responses.filter((candidate) => candidate.response.status !== 201)) {
        expect(answer.error?.type).toBe(problemType('hold-limit-reached'));
      }
    }, 60_000);

    it('stops counting a lapsed hold against the cap', async () => {
      const admin = await createCompanyAdmin();
      const event = await createEventAs(admin, { maxTicketsPerBooking: 2 });
      const user = await createRegisteredUser();
      await lapseHold(await bookOrFail(user, event.id, 2));
      expect((await book(user, { eventId: event.id, quantity: 2 })).response.status).toBe(201);
    });
  });

  describe('Idempotency-Key', () => {
    it('replays the first answer for the same key and body, creating one booking', async () => {
      const admin = await createCompanyAdmin();
      const event = await createEventAs(admin);
      const user = await createRegisteredUser();
      const key = randomUUID();
      const first = await book(user, { eventId: event.id, quantity: 2 }, key);
      const again = await book(user, { quantity: 2, eventId: event.id }, key);
      expect(first.response.status).toBe(201);
      expect(again.response.status).toBe(201);
      expect(again.data).toEqual(first.data);
      expect(await bookingsOfEvent(event.id)).toHaveLength(1);
    });

    it('refuses the same key with another body', async () => {
      const admin = await createCompanyAdmin();
      const event = await createEventAs(admin);
      const user = await createRegisteredUser();
      const key = randomUUID();
      expect((await book(user, { eventId: event.id, quantity: 1 }, key)).response.status).toBe(201);
      const reused = await book(user, { eventId: event.id, quantity: 3 }, key);
      expect(reused.response.status).toBe(409);
      expect(reused.error?.type).toBe(problemType('idempotency-key-reused'));
      expect(await bookingsOfEvent(event.id)).toHaveLength(1);
    });

    it('makes racing twins one booking', async () => {
      const admin = await createCompanyAdmin();
      const event = await createEventAs(admin);
      const user = await createRegisteredUser();
      const key = randomUUID();
      const twins = await Promise.all(
        Array.from({ length: 8 }, () => book(user, { eventId: event.id, quantity: 1 }, key)),
      );
      expect(twins.map((answer) => answer.response.status)).toEqual(Array.from({ length: 8 }, () => 201));
      expect(new Set(twins.map((answer) => answer.data?.booking.id)).size).toBe(1);
      expect(await bookingsOfEvent(event.id)).toHaveLength(1);
    }, 60_000);

    it('scopes keys to the user', async () => {
      const admin = await createCompanyAdmin();
      const event = await createEventAs(admin);
      const key = randomUUID();
      const first = await book(await createRegisteredUser(), { eventId: event.id, quantity: 1 }, key);
      const second = await book(await createRegisteredUser(), { eventId: event.id, quantity: 1 }, key);
      expect(second.response.status).toBe(201);
      expect(second.data?.booking.id).not.toBe(first.data?.booking.id);
    });

    it('does not remember a refusal: the same key succeeds once tickets are back', async () => {
      const admin = await createCompanyAdmin();
      const event = await createEventAs(admin, { totalTickets: 1, surgeThreshold: 1 });
      const holder = await createRegisteredUser();
      const held = await bookOrFail(holder, event.id, 1);
      const user = await createRegisteredUser();
      const key = randomUUID();
      expect((await book(user, { eventId: event.id, quantity: 1 }, key)).response.status).toBe(409);
      await apiClient(holder.idToken).POST('/cancelBooking', { body: { bookingId: held.id } });
      expect((await book(user, { eventId: event.id, quantity: 1 }, key)).response.status).toBe(201);
    });

    it.each([
      ['empty', ''],
      ['longer than 255 characters', 'k'.repeat(256)],
      ['not visible ASCII', 'clé-ünïcode'],
    ])('refuses a key that is %s', async (_, key) => {
      const admin = await createCompanyAdmin();
      const event = await createEventAs(admin);
      const { error, response } = await book(
        await createRegisteredUser(),
        { eventId: event.id, quantity: 1 },
        key,
      );
      expect(response.status).toBe(400);
      expect(error?.errors).toEqual([{ path: 'Idempotency-Key', message: expect.any(String) }]);
      expect(await bookingsOfEvent(event.id)).toHaveLength(0);
    });
  });

  describe('refusals', () => {
    it.each([
      ['quantity 0', { quantity: 0 }, 'quantity'],
      ['a fractional quantity', { quantity: 1.5 }, 'quantity'],
      ['a quantity above the event maximum', { quantity: 5 }, 'quantity'],
      ['a quantity above any event maximum', { quantity: 51 }, 'quantity'],
      ['an unknown field', { quantity: 1, price: 1 }, 'price'],
      ['a malformed event id', { eventId: 'no/such', quantity: 1 }, 'eventId'],
    ])('answers 400 to %s', async (_, overrides, path) => {
      const admin = await createCompanyAdmin();
      const event = await createEventAs(admin, { maxTicketsPerBooking: 4 });
      // Raw: an unknown field is a body that the typed client refuses to send.
      const response = await callFunction<ProblemJson>('book', {
        token: (await createRegisteredUser()).idToken,
        body: { eventId: event.id, ...overrides },
      });
      expect(response.status).toBe(400);
      expect(response.body.errors?.map((issue) => issue.path)).toContain(path);
      expect(await bookingsOfEvent(event.id)).toHaveLength(0);
    });

    it('answers 404 to an unknown event', async () => {
      const { response } = await book(await createRegisteredUser(), {
        eventId: 'NoSuchEvent0000000000',
        quantity: 1,
      });
      expect(response.status).toBe(404);
    });

    it('answers 409 event-started once the event has begun', async () => {
      const admin = await createCompanyAdmin();
      const event = await createEventAs(admin);
      await moveStartToPast(event.id, new Date(Date.now() - MINUTE_MS));
      const { error, response } = await book(await createRegisteredUser(), {
        eventId: event.id,
        quantity: 1,
      });
      expect(response.status).toBe(409);
      expect(error?.type).toBe(problemType('event-started'));
    });

    it('answers 401 without a token, 403 to unregistered users and admins', async () => {
      const admin = await createCompanyAdmin();
      const event = await createEventAs(admin);
      const body = { eventId: event.id, quantity: 1 };
      expect((await apiClient().POST('/book', { body })).response.status).toBe(401);
      const unregistered = await createSignedInUser();
      expect((await apiClient(unregistered.idToken).POST('/book', { body })).response.status).toBe(403);
      expect((await apiClient(admin.idToken).POST('/book', { body })).response.status).toBe(403);
    });

    it('answers 405 to GET and 415 to a body that is not JSON', async () => {
      const user = await createRegisteredUser();
      const get = await callFunction('book', { token: user.idToken, method: 'GET' });
      expect(get.status).toBe(405);
      expect(get.headers.get('allow')).toBe('POST');
      const text = await callFunction('book', {
        token: user.idToken,
        rawBody: 'eventId=x&quantity=1',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      });
      expect(text.status).toBe(415);
    });
  });
});
