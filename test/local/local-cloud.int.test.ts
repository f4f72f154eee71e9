import { createServer, type Server } from 'node:net';
import { startLocalCloud } from '../../local/cloud';
import { boundPort } from '../../local/ports';
import { childProcesses } from '../support/processes';

// A second local cloud, next to the one of the global setup; a loaded CI machine can make it slow to start.
const LOCAL_CLOUD_TIMEOUT_MS = 60_000;

async function functionsChildren(): Promise<number[]> {
  const children = await childProcesses(process.pid);
  return children
    .filter((child) => child.command.includes('local/functions/main.ts'))
    .map((child) => child.pid);
}

describe('startLocalCloud', () => {
  it(
    'serves the functions and leaves no process behind once stopped',
    async () => {
      const before = await functionsChildren();
      const cloud = await startLocalCloud({ ports: { functions: 0, firestore: 0, auth: 0 } });
      const started = (await functionsChildren()).filter((pid) => !before.includes(pid));
      const answer = await fetch(`${cloud.functionsUrl}/noSuchFunction`);

      await cloud.stop();

      expect(answer.status).toBe(404);
      expect(started).toHaveLength(1);
      expect(await functionsChildren()).toEqual(before);
      await expect(fetch(`${cloud.functionsUrl}/noSuchFunction`)).rejects.toThrow();
      await expect(cloud.stop()).resolves.toBeUndefined();
    },
    LOCAL_CLOUD_TIMEOUT_MS,
  );

  describe('when a port is taken', () => {
    let squatter: Server;

    beforeAll(async () => {
      squatter = createServer();
      await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    });

    afterAll(async () => {
      await new Promise<void>((resolve) => squatter.close(() => resolve()));
    });

    it('fails with a clear error before starting anything', async () => {
      const before = await functionsChildren();
      const taken = boundPort(squatter);

      await expect(startLocalCloud({ ports: { functions: 0, firestore: taken, auth: 0 } })).rejects.toThrow(
        `Port ${taken} on 127.0.0.1 is already in use`,
      );
      expect(await functionsChildren()).toEqual(before);
    });
  });
});
