import { createSignedInUser } from '../support/auth-users';
import { apiClient, expectData } from '../support/api-client';
import { createEventAs, eventBody, type CreateEventBody } from '../support/events';
import { callFunction } from '../support/http-client';
import { createCompanyAdmin, createRegisteredUser, type CompanyAdmin } from '../support/roles';
import type { ProblemJson } from './booking-fixtures';

const problem = (slug: string) => `https://errors.event-manager.dev/${slug}`;

function errorPaths(problem: ProblemJson | undefined): string[] {
  return (problem?.errors ?? []).map((error) => error.path).sort();
}

function createEvent(token: string | undefined, body: CreateEventBody) {
  return apiClient(token).POST('/createEvent', { body });
}

/** Raw: for bodies with fields the schema does not have, which the typed client refuses to send. */
function createEventRaw(admin: CompanyAdmin, body: Record<string, unknown>) {
  return callFunction<ProblemJson>('createEvent', { token: admin.idToken, body });
}

describe('POST /createEvent', () => {
  it('creates an event of the admin company with defaults, full availability and the base price', async () => {
    const admin = await createCompanyAdmin();
    const body = eventBody({ description: undefined, startsAt: '2031-03-01T19:30:00+01:00' });
    const created = expectData(await createEvent(admin.idToken, body), 201).event;

    expect(created).toEqual({
      id: expect.stringMatching(/^[A-Za-z0-9]{20}$/),
      companyId: admin.companyId,
      name: 'Jazz Night',
      description: null,
      startsAt: '2031-03-01T18:30:00.000Z',
      venue: 'Blue Note',
      location: { lat: 48.1374, lng: 11.5755 },
      totalTickets: 100,
      availableTickets: 100,
      currency: 'EUR',
      basePrice: 2500,
      surgePrice: 4000,
      surgeThreshold: 80,
      currentPrice: 2500,
      holdMinutes: 15,
      maxTicketsPerBooking: 10,
      version: 1,
      createdAt: expect.stringMatching(/Z$/),
      updatedAt: created.createdAt,
      status: 'scheduled',
    });
    const read = await apiClient(admin.idToken).GET('/getEvent', { params: { query: { id: created.id } } });
    expect(read.data?.event).toEqual(created);
  });

  it('gives events random ids', async () => {
    const admin = await createCompanyAdmin();
    const [first, second] = await Promise.all([createEventAs(admin), createEventAs(admin)]);
    expect(first.id).not.toBe(second.id);
    expect(first.id.slice(0, 10)).not.toBe(second.id.slice(0, 10));
  });

  it('keeps explicit holdMinutes and maxTicketsPerBooking', async () => {
    const admin = await createCompanyAdmin();
    const event = await createEventAs(admin, { holdMinutes: 60, maxTicketsPerBooking: 50 });
    expect(event).toMatchObject({ holdMinutes: 60, maxTicketsPerBooking: 50 });
  });

  it('refuses a companyId in the body: the company comes from the token', async () => {
    const admin = await createCompanyAdmin();
    const response = await createEventRaw(admin, { ...eventBody(), companyId: 'someone-else' });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ type: problem('validation') });
    expect(errorPaths(response.body)).toEqual(['companyId']);
  });

  it('refuses unknown fields, also nested ones', async () => {
    const admin = await createCompanyAdmin();
    const response = await createEventRaw(admin, {
      ...eventBody(),
      status: 'published',
      location: { lat: 1, lng: 2, alt: 3 },
    });
    expect(response.status).toBe(400);
    expect(errorPaths(response.body)).toEqual(['location.alt', 'status']);
  });

  it('names every invalid field', async () => {
    const admin = await createCompanyAdmin();
    const { error, response } = await createEvent(
      admin.idToken,
      eventBody({
        name: '',
        startsAt: '2031-03-01 19:30',
        location: { lat: 91, lng: 0 },
        totalTickets: 0,
        currency: 'euro',
        basePrice: 10.5,
        holdMinutes: 0,
        maxTicketsPerBooking: 51,
      }),
    );
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(errorPaths(error)).toEqual([
      'basePrice',
      'currency',
      'holdMinutes',
      'location.lat',
      'maxTicketsPerBooking',
      'name',
      'startsAt',
      'totalTickets',
    ]);
  });

  it('names the field at fault for each broken rule between fields and for a past start', async () => {
    const admin = await createCompanyAdmin();
    const { error, response } = await createEvent(
      admin.idToken,
      eventBody({
        startsAt: '2020-01-01T10:00:00+02:00',
        totalTickets: 10,
        surgeThreshold: 11,
        basePrice: 500,
        surgePrice: 499,
      }),
    );
    expect(response.status).toBe(400);
    expect(errorPaths(error)).toEqual(['startsAt', 'surgePrice', 'surgeThreshold']);
  });

  it('refuses an unknown currency', async () => {
    const admin = await createCompanyAdmin();
    const { error, response } = await createEvent(admin.idToken, eventBody({ currency: 'XXY' }));
    expect(response.status).toBe(400);
    expect(errorPaths(error)).toEqual(['currency']);
  });

  it('answers 403 to a normal user and to a signed-in user who has not registered', async () => {
    const user = await createRegisteredUser();
    const unregistered = await createSignedInUser();
    for (const token of [user.idToken, unregistered.idToken]) {
      const { error, response } = await createEvent(token, eventBody());
      expect(response.status).toBe(403);
      expect(error).toMatchObject({ type: problem('forbidden') });
    }
  });

  it('answers 401 without a token, before looking at the body', async () => {
    const response = await callFunction('createEvent', { body: { nonsense: true } });
    expect(response.status).toBe(401);
    expect(response.body).toMatchObject({ type: problem('unauthenticated') });
  });

  it('answers 405 to GET', async () => {
    const admin = await createCompanyAdmin();
    const response = await callFunction('createEvent', { method: 'GET', token: admin.idToken });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
  });
});
