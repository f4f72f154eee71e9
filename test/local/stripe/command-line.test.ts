import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import Stripe from 'stripe';
import { SECRET_KEY } from './sandbox-fixture';

const ROOT = join(__dirname, '..', '..', '..');
const run = promisify(execFile);
// Two TypeScript processes start in this test; on a busy machine that alone can take tens of seconds.
const READY_TIMEOUT_MS = 60_000;
const TEST_TIMEOUT_MS = 90_000;

function exitOf(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

describe('Stripe sandbox: command line', () => {
  it(
    'prints its URL when ready, serves the SDK, pays through pay.ts and stops cleanly on SIGTERM',
    async () => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'local/stripe/main.ts', '--port', '0'], {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const exited = exitOf(child);
      try {
        const { stdout } = child;
        if (!stdout) throw new Error('The sandbox process has no stdout pipe');
        let readyTimer: NodeJS.Timeout | undefined;
        const line = await new Promise<string>((resolve, reject) => {
          // Rejecting (rather than leaving it to jest's timeout) lets `finally` stop the process.
          readyTimer = setTimeout(
            () => reject(new Error('The sandbox did not get ready in time')),
            READY_TIMEOUT_MS,
          );
          createInterface({ input: stdout }).once('line', resolve);
          void exited.then((exit) =>
            reject(new Error(`The sandbox exited before it was ready: ${JSON.stringify(exit)}`)),
          );
        }).finally(() => clearTimeout(readyTimer));
        const [, url = '', port = ''] =
          /^stripe sandbox ready on (http:\/\/127\.0\.0\.1:(\d+))$/.exec(line) ?? [];
        expect(url).not.toBe('');
        const stripe = new Stripe(SECRET_KEY, { host: '127.0.0.1', port: Number(port), protocol: 'http' });
        const intent = await stripe.paymentIntents.create({ amount: 700, currency: 'usd' });

        const paid = await run(
          process.execPath,
          [
            '--import',
            'tsx',
            'local/stripe/pay.ts',
            '--client-secret',
            String(intent.client_secret),
            '--sandbox-url',
            url,
          ],
          { cwd: ROOT },
        );

        expect(paid.stdout.trim()).toBe(`payment ${intent.id} succeeded`);
        expect((await stripe.paymentIntents.retrieve(intent.id)).status).toBe('succeeded');
      } finally {
        child.kill('SIGTERM');
      }
      expect(await exited).toEqual({ code: 0, signal: null });
    },
    TEST_TIMEOUT_MS,
  );
});
