import { parseArgs } from 'node:util';
import { confirmLikePaymentSheet } from './payment-sheet';
import { DEFAULT_STRIPE_SANDBOX_PORT } from './server';

/**
 * Pays a PaymentIntent from the command line the way the mobile app would, given the `clientSecret` that
 * `POST /pay` answered:
 *   tsx local/stripe/pay.ts --client-secret pi_..._secret_... [--payment-method pm_card_chargeDeclined]
 *     [--sandbox-url http://127.0.0.1:12111]
 * Exits with 0 when the payment succeeded, 1 otherwise.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'client-secret': { type: 'string' },
      'payment-method': { type: 'string', default: 'pm_card_visa' },
      'sandbox-url': { type: 'string', default: `http://127.0.0.1:${DEFAULT_STRIPE_SANDBOX_PORT}` },
    },
  });
  const clientSecret = values['client-secret'];
  if (clientSecret === undefined) throw new Error('--client-secret is required');
  const result = await confirmLikePaymentSheet({
    sandboxUrl: values['sandbox-url'],
    clientSecret,
    paymentMethod: values['payment-method'],
  });
  if (result.ok) {
    console.log(`payment ${result.paymentIntent.id} ${result.paymentIntent.status}`);
    return;
  }
  const { code, decline_code: declineCode, message } = result.error;
  console.error(
    `payment failed: ${result.status} ${code ?? ''}${declineCode ? ` (${declineCode})` : ''}: ${message}`,
  );
  process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
