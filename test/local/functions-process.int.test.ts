import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { connect } from 'node:net';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { startFunctionsProcess } from '../../local/functions/child-process';
import { claimPorts } from '../../local/ports';
import { isRunning, waitUntilGone } from '../support/processes';

const REPOSITORY_ROOT = resolve(__dirname, '..', '..');

/** A stand-in for jest: a process that starts the functions server and then prints its pid. */
const PARENT_PROGRAM = `
require('./local/functions/child-process.ts')
  .startFunctionsProcess({ host: '127.0.0.1', port: 0, env: {}, log: () => undefined })
  .then((functions) => console.log('functions pid ' + functions.pid));
`;

// A functions process of its own, next to the local cloud of the global setup; slow on a loaded machine.
const PROCESS_TIMEOUT_MS = 60_000;

/** Whether something accepts TCP connections on the port. */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolveAccepts) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolveAccepts(true);
    });
    socket.once('error', () => resolveAccepts(false));
  });
}

/** A promise settled from outside. */
function deferred(): { promise: Promise<void>; resolve: () => void; reject: (error: Error) => void } {
  let settle: { resolve: () => void; reject: (error: Error) => void } | undefined;
  const promise = new Promise<void>((resolvePromise, rejectPromise) => {
    settle = { resolve: resolvePromise, reject: rejectPromise };
  });
  if (settle === undefined) throw new Error('unreachable: the executor runs at once');
  return { promise, ...settle };
}

describe('functions process', () => {
  it(
    'loads, but opens its port only once the services it needs are up',
    async () => {
      const [port = 0] = await claimPorts('127.0.0.1', [0]);
      const servicesUp = deferred();
      let loaded: () => void = () => undefined;
      const hasLoaded = new Promise<void>((resolveLoaded) => (loaded = resolveLoaded));
      const log = (line: string): void => {
        if (line === '[functions] functions loaded') loaded();
      };
      const starting = startFunctionsProcess({
        host: '127.0.0.1',
        port,
        env: {},
        log,
        listenAfter: servicesUp.promise,
      });

      await hasLoaded;
      const acceptedWhileWaiting = await accepts(port);
      servicesUp.resolve();
      const functions = await starting;
      try {
        const answer = await fetch(`${functions.url}/noSuchFunction`);

        expect(acceptedWhileWaiting).toBe(false);
        expect(functions.port).toBe(port);
        expect(answer.status).toBe(404);
      } finally {
        await functions.stop();
      }
    },
    PROCESS_TIMEOUT_MS,
  );

  it(
    'stops without listening when a service it needs did not start',
    async () => {
      const [port = 0] = await claimPorts('127.0.0.1', [0]);
      const servicesUp = deferred();
      const starting = startFunctionsProcess({
        host: '127.0.0.1',
        port,
        env: {},
        log: () => undefined,
        listenAfter: servicesUp.promise,
      });

      servicesUp.reject(new Error('the Auth emulator did not start'));

      await expect(starting).rejects.toThrow(
        'Functions server did not start: a service it needs did not start (the Auth emulator did not start)',
      );
      expect(await accepts(port)).toBe(false);
    },
    PROCESS_TIMEOUT_MS,
  );

  it('exits by itself when the process that started it is killed', async () => {
    const parent = spawn(process.execPath, ['--import', 'tsx', '-e', PARENT_PROGRAM], {
      cwd: REPOSITORY_ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const [line] = (await once(createInterface({ input: parent.stdout }), 'line')) as [string];
      const functionsPid = Number(/^functions pid (\d+)$/.exec(line)?.[1]);
      expect(await isRunning(functionsPid)).toBe(true);

      parent.kill('SIGKILL');
      await once(parent, 'exit');

      expect(await waitUntilGone(functionsPid, 5000)).toBe(true);
    } finally {
      parent.kill('SIGKILL');
    }
  });

  it.each([
    ['a bad LOG_LEVEL', { LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
    [
      'a malformed Stripe secret key',
      { STRIPE_SECRET_KEY: 'sk_live_pasted with a space' },
      /STRIPE_SECRET_KEY/,
    ],
    [
      'a webhook secret with a trailing newline',
      { STRIPE_WEBHOOK_SECRET: 'whsec_abc\n' },
      /STRIPE_WEBHOOK_SECRET/,
    ],
  ])('refuses to start with %s instead of serving 500s', async (_case, env, variable) => {
    const started = startFunctionsProcess({ host: '127.0.0.1', port: 0, env, log: () => undefined });
    await expect(started).rejects.toThrow(/did not start: it exited/);
    await expect(started).rejects.toThrow(variable);
  });
});
