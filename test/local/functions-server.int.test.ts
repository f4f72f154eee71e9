import { callFunction } from '../support/http-client';

describe('local functions server (a child process of the local cloud)', () => {
  it('answers a path that names no function with a 404 problem', async () => {
    const response = await callFunction('noSuchFunction', { body: { any: 'thing' }, query: { id: '1' } });

    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(response.body).toEqual({
      type: 'https://errors.event-manager.dev/not-found',
      title: 'Not Found',
      status: 404,
      detail: 'No function named "noSuchFunction".',
    });
  });
});
