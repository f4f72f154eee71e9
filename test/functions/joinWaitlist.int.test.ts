import { apiClient } from '../support/api-client';
import { createEventAs, moveStartToPast } from '../support/events';
import { callFunction } from '../support/http-client';
import { createCompanyAdmin, createRegisteredUser } from '../support/roles';
import { availableTickets, book, bookOrFail, lapseHold, problemType } from './booking-fixtures';
import { join, joinOrFail, soldOutEvent } from './waitlist-fixtures';

describe('POST /joinWaitlist', () => {
  it('puts users on a sold-out event in join order, with 1-based positions', async () => {
    const { event } = await soldOutEvent([2]);
    const first = await createRegisteredUser();
    const second = await createRegisteredUser();

    const a = await joinOrFail(first, event.id, 1);
    const b = await joinOrFail(second, event.id, 2);

    expect(a).toEqual({
      id: expect.any(String),
      eventId: event.id,
      userId: first.uid,
      quantity: 1,
      status: 'waiting',
      position: 1,
      createdAt: expect.stringMatching(/Z$/),
    });
    expect(b).toMatchObject({ status: 'waiting', position: 2, quantity: 2 });
  });

  it('answers 409 tickets-available while book of that quantity would succeed', async () => {
    const admin = await createCompanyAdmin();
    const event = await createEventAs(admin, { totalTickets: 3, surgeThreshold: 3 });
    const buyer = await createRegisteredUser();
    await bookOrFail(buyer, event.id, 2);
    const user = await createRegisteredUser();

    const refused = await join(user, event.id, 1);
    expect(refused.response.status).toBe(409);
    expect(refused.error?.type).toBe(problemType('tickets-available'));
    // Two are not left: joining for two is what book of two would make a user do.
    expect((await join(user, event.id, 2)).response.status).toBe(201);
  });

  it('counts lapsed holds as free', async () => {
    const { event, holds } = await soldOutEvent([1, 1]);
    const [lapsed] = holds;
    if (lapsed === undefined) throw new Error('no hold');
    await lapseHold(lapsed);
    const user = await createRegisteredUser();

    const refused = await join(user, event.id, 1);

    expect(refused.response.status).toBe(409);
    expect(refused.error?.type).toBe(problemType('tickets-available'));
  });

  it('answers 409 event-started for an event that has started', async () => {
    const { event } = await soldOutEvent([1]);
    await moveStartToPast(event.id, new Date(Date.now() - 60_000));
    const user = await createRegisteredUser();

    const refused = await join(user, event.id, 1);

    expect(refused.response.status).toBe(409);
    expect(refused.error?.type).toBe(problemType('event-started'));
  });

  it('keeps one active entry per user and event, also when joins race', async () => {
    const { event } = await soldOutEvent([1]);
    const user = await createRegisteredUser();

    const answers = await Promise.all(Array.from({ length: 4 }, () => join(user, event.id, 1)));

    expect(answers.filter((answer) => answer.response.status === 201)).toHaveLength(1);
    for (const answer of answers.filter((candidate) => candidate.response.status !== 201)) {
      expect(answer.response.status).toBe(409);
      expect(answer.error?.type).toBe(problemType('already-waiting'));
    }
  });

  it('refuses bad input with 400 and an unknown event with 404, changing nothing', async () => {
    const { event } = await soldOutEvent([1]);
    const user = await createRegisteredUser();

    const unknownField = await callFunction('joinWaitlist', {
      token: user.idToken,
      body: { eventId: event.id, quantity: 1, status: 'offered' },
    });
    const tooMany = await join(user, event.id, 2);
    const unknownEvent = await join(user, 'noSuchEvent123', 1);

    expect(unknownField.status).toBe(400);
    expect(tooMany.response.status).toBe(400);
    expect(unknownEvent.response.status).toBe(404);
    expect((await joinOrFail(user, event.id, 1)).position).toBe(1);
  });

  it('lets only registered users join (403 for an admin)', async () => {
    const { admin, event } = await soldOutEvent([1]);
    const answer = await apiClient(admin.idToken).POST('/joinWaitlist', {
      body: { eventId: event.id, quantity: 1 },
    });
    expect(answer.response.status).toBe(403);
  });

  it('lets an outsider book returned tickets that no waiting entry fits', async () => {
    const { event, holder, holds } = await soldOutEvent([1, 1]);
    const waiting = await createRegisteredUser();
    await joinOrFail(waiting, event.id, 2);
    const outsider = await createRegisteredUser();
    const [first] = holds;
    if (first === undefined) throw new Error('no hold');

    // One ticket back: the entry asks for two, so the outsider may have it.
    expect(
      (await apiClient(holder.idToken).POST('/cancelBooking', { body: { bookingId: first.id } })).response
        .status,
    ).toBe(200);
    expect((await book(outsider, { eventId: event.id, quantity: 1 })).response.status).toBe(201);
    expect(await availableTickets(outsider, event.id)).toBe(0);
  });
});
