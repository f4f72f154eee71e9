import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { ConfigurationError } from '../../../shared/config/config';
import { paymentIntentIdempotencyKey, refundIdempotencyKey } from '../../../shared/payments/payment';
import { STRIPE_NETWORK, StripePaymentGateway } from '../../../shared/payments/stripe-payment-gateway';

/** A Stripe API that never answers: each request is either dropped or left hanging. */
interface UnreachableStripe {
  readonly requests: { readonly method: string; readonly url: string; readonly idempotencyKey: string }[];
  gateway(): StripePaymentGateway;
  stop(): Promise<void>;
}

async function unreachableStripe(behaviour: 'drop' | 'hang'): Promise<UnreachableStripe> {
  const requests: UnreachableStripe['requests'][number][] = [];
  const server: Server = createServer((req: IncomingMessage) => {
    requests.push({
      method: req.method ?? '',
      url: req.url ?? '',
      idempotencyKey: String(req.headers['idempotency-key'] ?? ''),
    });
    if (behaviour === 'drop') req.socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    requests,
    gateway: () =>
      new StripePaymentGateway({
        secretKey: 'sk_test_unreachable',
        webhookSecret: 'whsec_unreachable',
        apiHost: '127.0.0.1',
        apiPort: port,
        apiProtocol: 'http',
      }),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('StripePaymentGateway on an unreliable network', () => {
  it('gives a request that never answers up after its attempts, long before a function times out', async () => {
    const stripe = await unreachableStripe('hang');
    try {
      await expect(stripe.gateway().retrievePaymentIntent('pi_slow')).rejects.toThrow(
        Stripe.errors.StripeConnectionError,
      );
      expect(stripe.requests).toHaveLength(1 + STRIPE_NETWORK.maxNetworkRetries);
    } finally {
      await stripe.stop();
    }
    // The 30 s function timeout of terraform/functions.tf; the SDK's default alone would wait 80 s.
  }, 29_000);

  it('repeats a PaymentIntent creation lost on the network with the same idempotency key', async () => {
    const stripe = await unreachableStripe('drop');
    try {
      const key = paymentIntentIdempotencyKey('booking_net', 1);
      await expect(
        stripe.gateway().createPaymentIntent({
          amount: 5000,
          currency: 'EUR',
          bookingId: 'booking_net',
          paymentId: 'booking_net_1',
          idempotencyKey: key,
        }),
      ).rejects.toThrow(Stripe.errors.StripeConnectionError);
      expect(stripe.requests).toEqual(
        Array.from({ length: 1 + STRIPE_NETWORK.maxNetworkRetries }, () => ({
          method: 'POST',
          url: '/v1/payment_intents',
          idempotencyKey: key,
        })),
      );
    } finally {
      await stripe.stop();
    }
  });

  it('repeats a refund lost on the network with the key derived from the payment', async () => {
    const stripe = await unreachableStripe('drop');
    try {
      await expect(
        stripe.gateway().refundPaymentIntent('pi_net', refundIdempotencyKey('payment_net')),
      ).rejects.toThrow(Stripe.errors.StripeConnectionError);
      expect(stripe.requests.map((request) => request.idempotencyKey)).toEqual(
        Array.from({ length: 1 + STRIPE_NETWORK.maxNetworkRetries }, () => 'refund:payment_net'),
      );
    } finally {
      await stripe.stop();
    }
  });
});

describe('StripePaymentGateway without the webhook signing secret', () => {
  it('refuses to verify webhooks as a configuration fault, so that Stripe delivers again once it is set', () => {
    const gateway = new StripePaymentGateway({
      secretKey: 'sk_test_no_webhooks',
      webhookSecret: undefined,
      apiHost: undefined,
      apiPort: undefined,
      apiProtocol: undefined,
    });
    expect(() => gateway.verifyWebhook(Buffer.from('{}'), 't=1,v1=00')).toThrow(ConfigurationError);
  });
});
