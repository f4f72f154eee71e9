import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { startFunctionsProcess } from '../../local/functions/child-process';
import { isRunning, waitUntilGone } from '../support/processes';

const REPOSITORY_ROOT = resolve(__dirname, '..', '..');

/** A stand-in for jest: a process that starts the functions server and then prints its pid. */
const PARENT_PROGRAM = `
require('./local/functions/child-process.ts')
  .startFunctionsProcess({ host: '127.0.0.1', port: 0, env: {}, log: () => undefined })
  .then((functions) => console.log('functions pid ' + functions.pid));
`;

describe('functions process', () => {
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
