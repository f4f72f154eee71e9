import type { operations } from '@event-manager/client';
import { apiClient, expectData } from '../support/api-client';
import { createEventAs, holdTickets, moveStartToPast, type EventJson } from '../support/events';
import { adminFirestore } from '../support/firestore-admin';
import { setCommitFaults } from '../support/firestore-faults';
import { callFunction } from '../support/http-client';
import { createCompanyAdmin, createRegisteredUser, type CompanyAdmin } from '../support/roles';
import type { ProblemJson } from './booking-fixtures';

const problem = (slug: string) => `https://errors.event-manager.dev/${slug}`;

type UpdateEventBody = operations['updateEvent']['requestBody']['content']['application/json'];

function update(admin: CompanyAdmin, body: UpdateEventBody) {
  return apiClient(admin.idToken).POST('/updateEvent', { body });
}

/** Raw: for bodies that break the schema, which the typed client refuses to send. */
function updateRaw(admin: CompanyAdmin, body: Record<string, unknown>) {
  return callFunction<ProblemJson>('updateEvent', { token: admin.idToken, body });
}

function errorPaths(problem: ProblemJson | undefined): string[] {
  return (problem?.errors ?? []).map((error) => error.path).sort();
}

async function read(admin: CompanyAdmin, id: string): Promise<EventJson> {
  return expectData(await apiClient(admin.idToken).GET('/getEvent', { params: { query: { id } } }), 200)
    .event;
}

describe('POST /updateEvent', () => {
  it('changes the given fields, increments the version and sets updatedAt', async () => {
    const admin = await createCompanyAdmin();
    const event = await createEventAs(admin);
    const response = await update(admin, {
      id: event.id,
      version: 1,
      name: 'Jazz Night (extra show)',
      description: null,
      startsAt: '2031-05-01T20:00:00-04:00',
    });

    const updated = expectData(response, 200).event;
    expect(updated).toEqual({
      ...event,
      name: 'Jazz Night (extra show)',
      description: null,
      startsAt: '2031-05-02T00:00:00.000Z',
      version: 2,
      updatedAt: expect.stringMatching(/Z$/),
    });
    expect(Date.parse(updated.updatedAt)).toBeGreaterThan(Date.parse(event.createdAt));
    expect(await read(admin, event.id)).toEqual(updated);
  });

  it('answers 409 stale-version to an update from an old version', async () => {
    const admin = await createCompanyAdmin();
    const event = await createEventAs(admin);
    expect((await update(admin, { id: event.id, version: 1, name: 'Second' })).response.status).toBe(200);

    const stale = await update(admin, { id: event.id, version: 1, name: 'Third' });
    expect(stale.response.status).toBe(409);
    expect(stale.error).toMatchObject({ type: problem('stale-version') });
    expect(await read(admin, event.id)).toMatchObject({ name: 'Second', version: 2 });
  });

  it('lets exactly one of two concurrent updates from the same version win', async () => {
    const admin = await createCompanyAdmin();
    const event = await createEventAs(admin);
    const responses = await Promise.all(
      ['Left', 'Right'].map((name) => update(admin, { id: event.id, version: 1, name })),
    );

    expect(responses.map((answer) => answer.response.status).sort()).toEqual([200, 409]);
    const winner = responses.find((answer) => answer.response.status === 200)?.data;
    const loser = responses.find((answer) => answer.response.status === 409);
    expect(loser?.error).toMatchObject({ type: problem('stale-version') });
    expect(await read(admin, event.id)).toMatchObject({ name: winner?.event.name, version: 2 });
  });

  it('answers 404 to an admin of another company and for an unknown event', async () => {
    const owner = await createCompanyAdmin();
    const other = await createCompanyAdmin();
    const event = await createEventAs(owner);

    for (const [admin, id] of [
      [other, event.id],
      [owner, 'NoSuchEvent000000000'],
    ] as const) {
      const { error, response } = await update(admin, { id, version: 1, name: 'Mine now' });
      expect(response.status).toBe(404);
      expect(error).toMatchObject({ type: problem('not-found') });
    }
    expect(await read(owner, event.id)).toMatchObject({ name: event.name, version: 1 });
  });

  it('answers 403 to a normal user and 401 without a token', async () => {
    const user = await createRegisteredUser();
    const body = { id: 'a', version: 1 };
    expect((await apiClient(user.idToken).POST('/updateEvent', { body })).response.status).toBe(403);
    expect((await apiClient().POST('/updateEvent', { body })).response.status).toBe(401);
  });

  it('requires id, version and a change, and refuses fields the client may not set', async () => {
    const admin = await createCompanyAdmin();
    const event = await createEventAs(admin);

    expect(errorPaths((await updateRaw(admin, { name: 'x' })).body)).toEqual(['id', 'version']);
    expect(errorPaths((await update(admin, { id: event.id, version: 1 })).error)).toEqual(['body']);
    const forbidden = await updateRaw(admin, {
      id: event.id,
      version: 1,
      name: 'x',
      companyId: 'c2',
      availableTickets: 5,
    });
    expect(forbidden.status).toBe(400);
    expect(errorPaths(forbidden.body)).toEqual(['availableTickets', 'companyId']);
  });

  it('checks the rules between fields on the stored event with the change applied', async () => {
    const admin = await createCompanyAdmin();
    const event = await createEventAs(admin, { totalTickets: 100, surgeThreshold: 80 });

    const threshold = await update(admin, { id: event.id, version: 1, surgeThreshold: 101 });
    expect(threshold.response.status).toBe(400);
    expect(errorPaths(threshold.error)).toEqual(['surgeThreshold']);

    const total = await update(admin, { id: event.id, version: 1, totalTickets: 50 });
    expect(errorPaths(total.error)).toEqual(['totalTickets']);

    const prices = await update(admin, { id: event.id, version: 1, basePrice: 5000 });
    expect(errorPaths(prices.error)).toEqual(['basePrice']);

    const past = await update(admin, { id: event.id, version: 1, startsAt: '2020-01-01T00:00:00Z' });
    expect(errorPaths(past.error)).toEqual(['startsAt']);

    expect(await read(admin, event.id)).toMatchObject({ version: 1, totalTickets: 100 });
  });

  it('resizes the inventory with the event', async () => {
    const admin = await createCompanyAdmin();
    const event = await createEventAs(admin, { totalTickets: 100, surgeThreshold: 80 });
    await holdTickets(event.id, 5);

    const grown = await update(admin, { id: event.id, version: 1, totalTickets: 150, surgeThreshold: 120 });
    expect(grown.response.status).toBe(200);
    expect(grown.data?.event).toMatchObject({
      totalTickets: 150,
      surgeThreshold: 120,
      availableTickets: 145,
      version: 2,
    });

    const shrunk = await update(admin, { id: event.id, version: 2, totalTickets: 10, surgeThreshold: 5 });
    expect(shrunk.response.status).toBe(200);
    expect(shrunk.data?.event).toMatchObject({
      availableTickets: 5,
      currentPrice: 4000,
    });
  });

  it('never drops totalTickets below the tickets already held (409 capacity-in-use)', async () => {
    const admin = await createCompanyAdmin();
    const event = await createEventAs(admin, { totalTickets: 20, surgeThreshold: 10 });
    await holdTickets(event.id, 8);

    const { error, response } = await update(admin, {
      id: event.id,
      version: 1,
      totalTickets: 7,
      surgeThreshold: 7,
    });
    expect(response.status).toBe(409);
    expect(error).toMatchObject({ type: problem('capacity-in-use') });
    expect(await read(admin, event.id)).toMatchObject({ totalTickets: 20, availableTickets: 12, version: 1 });
  });

  it('answers 409 event-started once the event has begun', async () => {
    const admin = await createCompanyAdmin();
    const event = await createEventAs(admin);
    await moveStartToPast(event.id, new Date(Date.now() - 60_000));

    const { error, response } = await update(admin, { id: event.id, version: 1, name: 'Too late' });
    expect(response.status).toBe(409);
    expect(error).toMatchObject({ type: problem('event-started') });
  });
});

/*
 * The SDK re-runs an update whose Commit failed with UNAVAILABLE or DEADLINE_EXCEEDED, even when that
 * commit landed: the re-run then sees the version it just wrote. The emulator fails exactly the update's
 * commit (the only one writing this event's document) after applying it.
 */
describe('POST /updateEvent when the commit lands but the client sees an error', () => {
  afterEach(() => setCommitFaults([]));

  it.each(['UNAVAILABLE', 'DEADLINE_EXCEEDED'] as const)(
    'after %s, answers 200 with the update, applied once',
    async (code) => {
      const admin = await createCompanyAdmin();
      const event = await createEventAs(admin);
      await setCommitFaults([{ code, when: 'after-apply', documentPrefix: `events/${event.id}`, count: 1 }]);

      const updated = expectData(
        await update(admin, { id: event.id, version: 1, name: 'Encore' }),
        200,
      ).event;

      expect(updated).toMatchObject({ id: event.id, name: 'Encore', version: 2 });
      expect(await read(admin, event.id)).toMatchObject({ name: 'Encore', version: 2 });
      const audit = await adminFirestore()
        .collection('auditLog')
        .where('target.eventId', '==', event.id)
        .where('action', '==', 'event.updated')
        .get();
      expect(audit.size).toBe(1);
    },
  );
});
