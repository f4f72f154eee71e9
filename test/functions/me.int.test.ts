import { createSignedInUser } from '../support/auth-users';
import { apiClient } from '../support/api-client';
import { callFunction } from '../support/http-client';

describe('GET /me', () => {
  it('answers 404 to a signed-in user who has not registered', async () => {
    const account = await createSignedInUser();
    const { error, response } = await apiClient(account.idToken).GET('/me');
    expect(response.status).toBe(404);
    expect(error).toMatchObject({ type: 'https://errors.event-manager.dev/not-found' });
  });

  it('answers 401 without a token and 405 to POST', async () => {
    expect((await apiClient().GET('/me')).response.status).toBe(401);
    const post = await callFunction('me', { method: 'POST', body: {} });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET');
  });

  it('refuses unknown query parameters', async () => {
    const account = await createSignedInUser();
    const response = await callFunction('me', { token: account.idToken, query: { debug: '1' } });
    expect(response.status).toBe(400);
  });
});
