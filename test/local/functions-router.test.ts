import { createServer, type Server } from 'node:http';
import { http } from '@google-cloud/functions-framework';
import { boundPort } from '../../local/ports';
import { createRouter, functionRoutes } from '../../local/functions/router';

// A function registered only in this test file, so that routing is checked without any real function.
http('echoRequest', (req, res) => {
  res.json({ path: req.path, query: req.query, body: req.body, rawBody: req.rawBody?.toString('utf8') });
});

let server: Server;
let baseUrl: string;

beforeAll(async () => {
  server = createServer(createRouter(functionRoutes(['echoRequest'])));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${boundPort(server)}`;
});

afterAll(async () => {
  await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
});

describe('local functions router', () => {
  it('hands a function the path after its name, the query string and the raw body', async () => {
    const rawBody = '{"b": 2, "a": 1}';
    const response = await fetch(`${baseUrl}/echoRequest/sub/path?x=1&y=two`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: rawBody,
    });

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      path: '/sub/path',
      query: { x: '1', y: 'two' },
      body: { a: 1, b: 2 },
      rawBody,
    });
  });

  it('gives a function called at its bare name the path /', async () => {
    const response = await fetch(`${baseUrl}/echoRequest?x=1`);

    expect(await response.json()).toMatchObject({ path: '/', query: { x: '1' } });
  });

  it.each(['/echo', '/echoRequestX', '/', '/nothing/echoRequest'])(
    'answers %s with a 404 problem',
    async (path) => {
      const response = await fetch(`${baseUrl}${path}`, { method: 'POST', body: 'ignored' });

      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      expect(await response.json()).toEqual({
        type: 'https://errors.event-manager.dev/not-found',
        title: 'Not Found',
        status: 404,
        detail: expect.stringMatching(/^No function named "[^"]*"\.$/),
      });
    },
  );
});
