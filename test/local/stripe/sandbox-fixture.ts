import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import Stripe from 'stripe';
import { boundPort } from '../../../local/ports';
import {
  startStripeSandbox,
  type RunningStripeSandbox,
  type StripeSandboxOptions,
} from '../../../local/stripe/server';

/** Any `sk_test_` key is valid in the sandbox. */
export const SECRET_KEY = 'sk_test_conformance';

/** The real SDK, configured for the sandbox as the payments feature configures it. */
export function stripeFor(sandbox: RunningStripeSandbox, key: string = SECRET_KEY): Stripe {
  // No SDK retries: a conformance test must see the sandbox's first answer.
  return new Stripe(key, { host: '127.0.0.1', port: sandbox.port, protocol: 'http', maxNetworkRetries: 0 });
}

/** The sandbox and SDK client of one test file, valid between its beforeAll and afterAll. */
export interface SandboxFixture {
  readonly sandbox: RunningStripeSandbox;
  readonly stripe: Stripe;
}

/** Starts a sandbox on a free port for the calling test file and stops it afterwards. */
export function useStripeSandbox(options: StripeSandboxOptions = {}): SandboxFixture {
  let sandbox: RunningStripeSandbox | undefined;
  let stripe: Stripe | undefined;
  beforeAll(async () => {
    sandbox = await startStripeSandbox({ port: 0, ...options });
    stripe = stripeFor(sandbox);
  });
  afterAll(() => sandbox?.stop());
  const required = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('The sandbox is not running yet (use it inside tests).');
    return value;
  };
  return {
    get sandbox() {
      return required(sandbox);
    },
    get stripe() {
      return required(stripe);
    },
  };
}

/** The error a promise rejects with; fails the test if it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<Stripe.errors.StripeError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Stripe.errors.StripeError) return error;
    throw error;
  }
  throw new Error('Expected the Stripe call to fail, but it succeeded.');
}

/** A webhook request as an endpoint received it. */
export interface ReceivedWebhook {
  rawBody: Buffer;
  headers: IncomingHttpHeaders;
  /** The parsed body's `id` and `type`, for assertions on order and duplicates. */
  id: string;
  type: string;
}

/** A local webhook endpoint that records what it receives and answers as told. */
export interface WebhookReceiver {
  readonly url: string;
  readonly received: readonly ReceivedWebhook[];
  /** Answers for the next requests, in order: a status, or a status sent after a delay. */
  answerNext(...answers: (number | { delayMs: number; status: number })[]): void;
  close(): Promise<void>;
}

/** Starts a webhook endpoint on a free port; it answers 200 unless told otherwise. */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  const answers: (number | { delayMs: number; status: number })[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const rawBody = Buffer.concat(chunks);
      const parsed = JSON.parse(rawBody.toString('utf8')) as { id: string; type: string };
      received.push({ rawBody, headers: request.headers, id: parsed.id, type: parsed.type });
      const answer = answers.shift() ?? 200;
      const { delayMs, status } = typeof answer === 'number' ? { delayMs: 0, status: answer } : answer;
      setTimeout(() => {
        if (!response.destroyed) response.writeHead(status).end();
      }, delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${boundPort(server)}/stripeWebhook`,
    received,
    answerNext: (...next) => answers.push(...next),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
