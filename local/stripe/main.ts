import { parseArgs } from 'node:util';
import { DEFAULT_STRIPE_SANDBOX_PORT, startStripeSandbox } from './server';

/**
 * Command line entry point:
 *   tsx local/stripe/main.ts [--host 127.0.0.1] [--port 12111]
 *     [--webhook http://127.0.0.1:5001/stripeWebhook ... --webhook-secret whsec_...]
 *     [--retry-backoff-ms 1000] [--max-delivery-attempts 8] [--duplicate-deliveries 0] [--reorder]
 * Prints "stripe sandbox ready on http://HOST:PORT" once it listens; stops on SIGTERM or SIGINT.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: String(DEFAULT_STRIPE_SANDBOX_PORT) },
      webhook: { type: 'string', multiple: true, default: [] },
      'webhook-secret': { type: 'string' },
      'retry-backoff-ms': { type: 'string' },
      'max-delivery-attempts': { type: 'string' },
      'duplicate-deliveries': { type: 'string' },
      reorder: { type: 'boolean', default: false },
    },
  });
  const number = (name: string, text: string | undefined): number | undefined => {
    if (text === undefined) return undefined;
    const value = Number(text);
    if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} must be a non-negative integer`);
    return value;
  };
  const secret = values['webhook-secret'];
  if (values.webhook.length > 0 && secret === undefined) {
    throw new Error(
      '--webhook needs --webhook-secret (the whsec_... secret the endpoint verifies signatures with)',
    );
  }
  const sandbox = await startStripeSandbox({
    host: values.host,
    port: number('port', values.port),
    webhookEndpoints: values.webhook.map((url) => ({ url, secret: secret ?? '' })),
    retryBackoffMs: number('retry-backoff-ms', values['retry-backoff-ms']),
    maxDeliveryAttempts: number('max-delivery-attempts', values['max-delivery-attempts']),
    duplicateDeliveries: number('duplicate-deliveries', values['duplicate-deliveries']),
    reorder: values.reorder,
  });
  console.log(`stripe sandbox ready on ${sandbox.url}`);
  const stop = () => {
    sandbox.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
