import { createEventAs, holdTickets, moveStartToPast, type EventJson } from '../support/events';
import { callFunction, type FunctionResponse } from '../support/http-client';
import { createCompanyAdmin, createRegisteredUser, type CompanyAdmin } from '../support/roles';

const problem = (slug: string) => `https://errors.event-manager.dev/${slug}`;

interface Problem {
  type: string;
  errors?: { path: string; message: string }[];
}

function update(admin: CompanyAdmin, body: Record<string, unknown>): Promise<FunctionResponse<unknown>> {
  return callFunction('updateEvent', { token: admin.idToken, body });
}

function errorPaths(body: unknown): string[] {
  return ((body as Problem).errors ?? []).map((error) => error.path).sort();
}

async function read(admin: CompanyAdmin, id: string): Promise<EventJson> {
  return (await callFunction<{ event: EventJson }>('getEvent', { token: admin.idToken, query: { id } })).body
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

    expect(response.status).toBe(200);
    const updated = (response.body as { event: EventJson }).event;
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
    expect((await update(admin, { id: event.id, version: 1, name: 'Second' })).status).toBe(200);

    const stale = await update(admin, { id: event.id, version: 1, name: 'Third' });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ type: problem('stale-version') });
    expect(await read(admin, event.id)).toMatchObject({ name: 'Second', version: 2 });
  });

  it('lets exactly one of two concurrent updates from the same version win', async () => {
    const admin = await createCompanyAdmin();
    const event = await createEventAs(admin);
    const responses = await Promise.all(
      ['Left', 'Right'].map((name) => update(admin, { id: event.id, version: 1, name })),
    );

    expect(responses.map((response) => response.status).sort()).toEqual([200, 409]);
    const winner = responses.find((response) => response.status === 200)?.body as { event: EventJson };
    const loser = responses.find((response) => response.status === 409);
    expect(loser?.body).toMatchObject({ type: problem('stale-version') });
    expect(await read(admin, event.id)).toMatchObject({ name: winner.event.name, version: 2 });
  });

  it('answers 404 to an admin of another company and for an unknown event', async () => {
    const owner = await createCompanyAdmin();
    const other = await createCompanyAdmin();
    const event = await createEventAs(owner);

    for (const [admin, id] of [
      [other, event.id],
      [owner, 'NoSuchEvent000000000'],
    ] as const) {
      const response = await update(admin, { id, version: 1, name: 'Mine now' });
      expect(response.status).toBe(404);
      expect(response.body).toMatchObject({ type: problem('not-found') });
    }
    expect(await read(owner, event.id)).toMatchObject({ name: event.name, version: 1 });
  });

  it('answers 403 to a normal user and 401 without a token', async () => {
    const user = await createRegisteredUser();
    expect(
      (await callFunction('updateEvent', { token: user.idToken, body: { id: 'a', version: 1 } })).status,
    ).toBe(403);
    expect((await callFunction('updateEvent', { body: { id: 'a', version: 1 } })).status).toBe(401);
  });

  it('requires id, version and a change, and refuses fields the client may not set', async () => {
    const admin = await createCompanyAdmin();
    const event = await createEventAs(admin);

    expect(errorPaths((await update(admin, { name: 'x' })).body)).toEqual(['id', 'version']);
    expect(errorPaths((await update(admin, { id: event.id, version: 1 })).body)).toEqual(['body']);
    const forbidden = await update(admin, {
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
    expect(threshold.status).toBe(400);
    expect(errorPaths(threshold.body)).toEqual(['surgeThreshold']);

    const total = await update(admin, { id: event.id, version: 1, totalTickets: 50 });
    expect(errorPaths(total.body)).toEqual(['totalTickets']);

    const prices = await update(admin, { id: event.id, version: 1, basePrice: 5000 });
    expect(errorPaths(prices.body)).toEqual(['basePrice']);

    const past = await update(admin, { id: event.id, version: 1, startsAt: '2020-01-01T00:00:00Z' });
    expect(errorPaths(past.body)).toEqual(['startsAt']);

    expect(await read(admin, event.id)).toMatchObject({ version: 1, totalTickets: 100 });
  });

  it('resizes the inventory with the event', async () => {
    const admin = await createCompanyAdmin();
    const event = await createEventAs(admin, { totalTickets: 100, surgeThreshold: 80 });
    await holdTickets(event.id, 5);

    const grown = await update(admin, { id: event.id, version: 1, totalTickets: 150, surgeThreshold: 120 });
    expect(grown.status).toBe(200);
    expect((grown.body as { event: EventJson }).event).toMatchObject({
      totalTickets: 150,
      surgeThreshold: 120,
      availableTickets: 145,
      version: 2,
    });

    const shrunk = await update(admin, { id: event.id, version: 2, totalTickets: 10, surgeThreshold: 5 });
    expect(shrunk.status).toBe(200);
    expect((shrunk.body as { event: EventJson }).event).toMatchObject({
      availableTickets: 5,
      currentPrice: 4000,
    });
  });

  it('never drops totalTickets below the tickets already held (409 capacity-in-use)', async () => {
    const admin = await createCompanyAdmin();
    const event = await createEventAs(admin, { totalTickets: 20, surgeThreshold: 10 });
    await holdTickets(event.id, 8);

    const response = await update(admin, { id: event.id, version: 1, totalTickets: 7, surgeThreshold: 7 });
    expect(response.status).toBe(409);
    expect(response.body).toMatchObject({ type: problem('capacity-in-use') });
    expect(await read(admin, event.id)).toMatchObject({ totalTickets: 20, availableTickets: 12, version: 1 });
  });

  it('answers 409 event-started once the event has begun', async () => {
    const admin = await createCompanyAdmin();
    const event = await createEventAs(admin);
    await moveStartToPast(event.id, new Date(Date.now() - 60_000));

    const response = await update(admin, { id: event.id, version: 1, name: 'Too late' });
    expect(response.status).toBe(409);
    expect(response.body).toMatchObject({ type: problem('event-started') });
  });
});
