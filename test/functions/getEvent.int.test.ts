import { createSignedInUser } from '../support/auth-users';
import { createEventAs, holdTickets } from '../support/events';
import { apiClient } from '../support/api-client';
import { callFunction } from '../support/http-client';
import { createCompanyAdmin } from '../support/roles';

function getEvent(token: string | undefined, id: string) {
  return apiClient(token).GET('/getEvent', { params: { query: { id } } });
}

describe('GET /getEvent', () => {
  it('lets any signed-in caller read an event, even one who has not registered', async () => {
    const admin = await createCompanyAdmin();
    const event = await createEventAs(admin);
    const reader = await createSignedInUser();
    const { data, response } = await getEvent(reader.idToken, event.id);
    expect(response.status).toBe(200);
    expect(data).toEqual({ event });
  });

  it('reports availability and the price of the next ticket as tickets are held', async () => {
    const admin = await createCompanyAdmin();
    const event = await createEventAs(admin, { totalTickets: 10, surgeThreshold: 4 });
    const read = async () => (await getEvent(admin.idToken, event.id)).data?.event;

    await holdTickets(event.id, 3);
    expect(await read()).toMatchObject({ availableTickets: 7, currentPrice: event.basePrice });
    await holdTickets(event.id, 1);
    expect(await read()).toMatchObject({ availableTickets: 6, currentPrice: event.surgePrice });
  });

  it('answers 404 for an unknown event', async () => {
    const reader = await createSignedInUser();
    const { error, response } = await getEvent(reader.idToken, 'NoSuchEvent000000000');
    expect(response.status).toBe(404);
    expect(error).toMatchObject({ type: 'https://errors.event-manager.dev/not-found' });
  });

  it('answers 400 for a missing or malformed id and for unknown parameters', async () => {
    const reader = await createSignedInUser();
    expect((await getEvent(reader.idToken, '../users/x')).response.status).toBe(400);
    // Raw: the typed client always sends `id` and nothing else.
    for (const query of [{}, { id: 'abc', extra: '1' }]) {
      const response = await callFunction('getEvent', { token: reader.idToken, query });
      expect(response.status).toBe(400);
    }
  });

  it('answers 401 without a token', async () => {
    const { response } = await getEvent(undefined, 'abc');
    expect(response.status).toBe(401);
  });
});
