import { parseArgs } from 'node:util';
import { integerFlag, runUntilSignalled } from '../cli';
import { DEFAULT_STRIPE_SANDBOX_PORT, startStripeSandbox } from './server';

/*
 * Command line entry point:
 *   tsx local/stripe/main.ts [--host 127.0.0.1] [--port 12111]
 *     [--webhook http://127.0.0.1:5001/stripeWebhook ... --webhook-secret whsec_...]
 *     [--retry-backoff-ms 1000] [--max-delivery-attempts 8] [--duplicate-deliveries 0] [--reorder]
 * Prints "stripe sandbox ready on http://HOST:PORT" once it listens; stops on SIGTERM or SIGINT.
 */
runUntilSignalled(
  async () => {
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
    const secret = values['webhook-secret'];
    if (values.webhook.length > 0 && secret === undefined) {
      throw new Error(
        '--webhook needs --webhook-secret (the whsec_... secret the endpoint verifies signatures with)',
      );
    }
    return startStripeSandbox({
      host: values.host,
      port: integerFlag('port', values.port),
      webhookEndpoints: values.webhook.map((url) => ({ url, secret: secret ?? '' })),
      retryBackoffMs: integerFlag('retry-backoff-ms', values['retry-backoff-ms']),
      maxDeliveryAttempts: integerFlag('max-delivery-attempts', values['max-delivery-attempts']),
      duplicateDeliveries: integerFlag('duplicate-deliveries', values['duplicate-deliveries']),
      reorder: values.reorder,
    });
  },
  (sandbox) => `stripe sandbox ready on ${sandbox.url}`,
);
