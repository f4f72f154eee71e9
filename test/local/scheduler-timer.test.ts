import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startSchedulerTimer } from '../../local/scheduler-timer';

describe('local scheduler timer', () => {
  let server: Server;
  const calls: string[] = [];
  let url: string;

  beforeAll(async () => {
    server = createServer((request, response) => {
      calls.push(`${request.method ?? ''} ${request.url ?? ''}`);
      response.writeHead(request.url === '/failing' ? 500 : 200).end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('calls every job by POST on its own timer, logs failures, and stops', async () => {
    const logged: string[] = [];
    const timer = startSchedulerTimer({
      functionsUrl: url,
      jobs: ['releaseExpiredHolds', 'failing'],
      intervalMs: 10,
      log: (line) => logged.push(line),
    });
    while (calls.filter((call) => call === 'POST /releaseExpiredHolds').length < 2) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    timer.stop();
    const seen = calls.length;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(calls).toContain('POST /failing');
    expect(logged.some((line) => line.startsWith('failing answered 500'))).toBe(true);
    expect(calls.length - seen).toBeLessThanOrEqual(2);
  });
});
