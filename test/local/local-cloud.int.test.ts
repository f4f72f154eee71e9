import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { startLocalCloud } from '../../local/cloud';
import { boundPort } from '../../local/ports';
import { childProcesses } from '../support/processes';

// A second local cloud, next to the one of the global setup; a loaded CI machine can make it slow to start.
const LOCAL_CLOUD_TIMEOUT_MS = 60_000;

const REPOSITORY_ROOT = resolve(__dirname, '..', '..');
const run = promisify(execFile);

/** A process using the Pub/Sub SDK as the functions do: found through the environment, no credentials. */
const PUBSUB_CLIENT_PROGRAM = `
const { PubSub } = require('@google-cloud/pubsub');
const pubsub = new PubSub({ projectId: process.env.GCLOUD_PROJECT });
pubsub.createTopic('quiet-start-' + process.pid).then(() => pubsub.close()).then(() => console.log('created'));
`;

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

  it(
    'lets no SDK client probe for a metadata server, neither in this process nor in those it points at it',
    async () => {
      const inherited = process.env.METADATA_SERVER_DETECTION;
      // The global setup's local cloud set it for the workers; this test shows what a fresh process gets.
      delete process.env.METADATA_SERVER_DETECTION;
      const warnings: Error[] = [];
      const onWarning = (warning: Error): void => {
        warnings.push(warning);
      };
      process.on('warning', onWarning);
      try {
        // Creating the push subscriptions calls the Pub/Sub emulator through the SDK from this process.
        const cloud = await startLocalCloud({ ports: { functions: 0, firestore: 0, auth: 0 } });
        try {
          const client = await run(process.execPath, ['-e', PUBSUB_CLIENT_PROGRAM], {
            cwd: REPOSITORY_ROOT,
            env: { PATH: process.env.PATH, ...cloud.env },
          });

          expect(client).toEqual({ stdout: 'created\n', stderr: '' });
          expect(cloud.env.METADATA_SERVER_DETECTION).toBe('none');
        } finally {
          await cloud.stop();
        }
        expect(warnings.map((warning) => `${warning.name}: ${warning.message}`)).toEqual([]);
      } finally {
        process.off('warning', onWarning);
        if (inherited === undefined) delete process.env.METADATA_SERVER_DETECTION;
        else process.env.METADATA_SERVER_DETECTION = inherited;
      }
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
