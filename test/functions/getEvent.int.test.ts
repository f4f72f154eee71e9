import { createSignedInUser } from '../support/auth-users';
import { createEventAs, holdTickets, type EventJson } from '../support/events';
import { callFunction } from '../support/http-client';
import { createCompanyAdmin } from '../support/roles';

describe('GET /getEvent', () => {
  it('lets any signed-in caller read an event, even one who has not registered', async () => {
    const admin = await createCompanyAdmin();
    const event = await createEventAs(admin);
    const reader = await createSignedInUser();
    const response = await callFunction<{ event: EventJson }>('getEvent', {
      token: reader.idToken,
      query: { id: event.id },
    });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ event });
  });

  it('reports availability and the price of the next ticket as tickets are held', async () => {
    const admin = await createCompanyAdmin();
    const event = await createEventAs(admin, { totalTickets: 10, surgeThreshold: 4 });
    const read = async () =>
      (
        await callFunction<{ event: EventJson }>('getEvent', {
          token: admin.idToken,
          query: { id: event.id },
        })
      ).body.event;

    await holdTickets(event.id, 3);
    expect(await read()).toMatchObject({ availableTickets: 7, currentPrice: event.basePrice });
    await holdTickets(event.id, 1);
    expect(await read()).toMatchObject({ availableTickets: 6, currentPrice: event.surgePrice });
  });

  it('answers 404 for an unknown event', async () => {
    const reader = await createSignedInUser();
    const response = await callFunction('getEvent', {
      token: reader.idToken,
      query: { id: 'NoSuchEvent000000000' },
    });
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ type: 'https://errors.event-manager.dev/not-found' });
  });

  it('answers 400 for a missing or malformed id and for unknown parameters', async () => {
    const reader = await createSignedInUser();
    for (const query of [{}, { id: '../users/x' }, { id: 'abc', extra: '1' }]) {
      const response = await callFunction('getEvent', { token: reader.idToken, query });
      expect(response.status).toBe(400);
    }
  });

  it('answers 401 without a token', async () => {
    const response = await callFunction('getEvent', { query: { id: 'abc' } });
    expect(response.status).toBe(401);
  });
});
