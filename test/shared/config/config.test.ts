import { ConfigurationError, parseConfig } from '../../../shared/config/config';
import { DEFAULT_RATE_LIMITS } from '../../../shared/rate-limits/rate-limit-policy';
import { generateTicketKey } from '../../../shared/tickets/ticket-signing';

describe('parseConfig', () => {
  it('defaults to the local demo project and info logging', () => {
    expect(parseConfig({})).toEqual({
      projectId: 'demo-event-manager',
      firestoreEmulatorHost: undefined,
      authEmulatorHost: undefined,
      logLevel: 'info',
      pubsubEmulatorHost: undefined,
      stripe: expect.any(Function),
      rateLimits: DEFAULT_RATE_LIMITS,
      corsAllowedOrigins: [],
      ticketsOverdueAfterMinutes: 10,
      cancellation: { refundsPerSecond: 10, runSeconds: 50 },
      ticketSigningKey: expect.any(Function),
      ticketPublicKeys: expect.any(Function),
    });
  });

  it('reads the cancellation refund rate and run length, refusing rates that could not pace', () => {
    const config = parseConfig({ CANCELLATION_REFUNDS_PER_SECOND: '2.5', CANCELLATION_RUN_SECONDS: '20' });
    expect(config.cancellation).toEqual({ refundsPerSecond: 2.5, runSeconds: 20 });
    expect(() => parseConfig({ CANCELLATION_REFUNDS_PER_SECOND: '0' })).toThrow(
      /CANCELLATION_REFUNDS_PER_SECOND/,
    );
    expect(() => parseConfig({ CANCELLATION_RUN_SECONDS: '0' })).toThrow(/CANCELLATION_RUN_SECONDS/);
  });

  it('reads how long paid bookings may wait for tickets, in whole minutes', () => {
    expect(parseConfig({ TICKETS_OVERDUE_AFTER_MINUTES: '25' }).ticketsOverdueAfterMinutes).toBe(25);
    expect(() => parseConfig({ TICKETS_OVERDUE_AFTER_MINUTES: '0' })).toThrow(
      /TICKETS_OVERDUE_AFTER_MINUTES/,
    );
    expect(() => parseConfig({ TICKETS_OVERDUE_AFTER_MINUTES: 'soon' })).toThrow(
      /TICKETS_OVERDUE_AFTER_MINUTES/,
    );
  });

  it('applies configured rate limits and CORS origins, refusing malformed ones by name', () => {
    const config = parseConfig({
      RATE_LIMITS: '{"pay":{"requests":3,"windowSeconds":10}}',
      RATE_LIMIT_PER_IP: '{"requests":9,"windowSeconds":60}',
      CORS_ALLOWED_ORIGINS: 'https://app.example.com,https://admin.example.com',
    });
    expect(config.rateLimits.perUser.pay).toEqual({ requests: 3, windowSeconds: 10 });
    expect(config.rateLimits.perUser.book).toEqual(DEFAULT_RATE_LIMITS.perUser.book);
    expect(config.rateLimits.perAddress).toEqual({ requests: 9, windowSeconds: 60 });
    expect(config.corsAllowedOrigins).toEqual(['https://app.example.com', 'https://admin.example.com']);
    expect(() => parseConfig({ RATE_LIMITS: '{"pay":{"requests":-1,"windowSeconds":10}}' })).toThrow(
      /RATE_LIMITS/,
    );
    expect(() => parseConfig({ RATE_LIMIT_PER_IP: 'many' })).toThrow(/RATE_LIMIT_PER_IP: not valid JSON/);
    expect(() => parseConfig({ CORS_ALLOWED_ORIGINS: '*' })).toThrow(/CORS_ALLOWED_ORIGINS/);
  });

  it('gives a demo project local Stripe keys, pointed at the sandbox when told', () => {
    const stripe = parseConfig({ STRIPE_API_HOST: '127.0.0.1', STRIPE_API_PORT: '12111' }).stripe();
    expect(stripe).toMatchObject({ apiHost: '127.0.0.1', apiPort: 12111 });
    expect(stripe.secretKey).toMatch(/^sk_test_local/);
    expect(stripe.webhookSecret).toMatch(/^whsec_local/);
  });

  it('requires the Stripe key in a real project, but only when Stripe is used', () => {
    const config = parseConfig({ GCLOUD_PROJECT: 'acme-prod' });
    expect(() => config.stripe()).toThrow(ConfigurationError);
    // pay and cancelBooking get the key alone: only stripeWebhook holds the webhook signing secret.
    expect(
      parseConfig({ GCLOUD_PROJECT: 'acme-prod', STRIPE_SECRET_KEY: 'sk_live_abc' }).stripe(),
    ).toMatchObject({ secretKey: 'sk_live_abc', webhookSecret: undefined });
    const configured = parseConfig({
      GCLOUD_PROJECT: 'acme-prod',
      STRIPE_SECRET_KEY: 'sk_live_abc',
      STRIPE_WEBHOOK_SECRET: 'whsec_abc',
    });
    expect(configured.stripe()).toMatchObject({ secretKey: 'sk_live_abc', webhookSecret: 'whsec_abc' });
  });

  it('prefers GCLOUD_PROJECT over GOOGLE_CLOUD_PROJECT', () => {
    expect(parseConfig({ GCLOUD_PROJECT: 'a', GOOGLE_CLOUD_PROJECT: 'b' }).projectId).toBe('a');
    expect(parseConfig({ GOOGLE_CLOUD_PROJECT: 'b' }).projectId).toBe('b');
  });

  it('refuses the Auth emulator against a project that is not a demo project', () => {
    expect(() =>
      parseConfig({ GCLOUD_PROJECT: 'acme-prod', FIREBASE_AUTH_EMULATOR_HOST: '127.0.0.1:9099' }),
    ).toThrow(ConfigurationError);
    expect(
      parseConfig({ GCLOUD_PROJECT: 'demo-x', FIREBASE_AUTH_EMULATOR_HOST: '127.0.0.1:9099' })
        .authEmulatorHost,
    ).toBe('127.0.0.1:9099');
  });

  it('reads the ticket keys as JWKs, requires them only where used, and never echoes the private key', () => {
    const { privateKey, publicKey } = generateTicketKey('k1');
    const config = parseConfig({
      GCLOUD_PROJECT: 'acme-prod',
      TICKET_SIGNING_KEY: JSON.stringify(privateKey),
      TICKET_PUBLIC_KEYS: JSON.stringify([publicKey]),
    });
    expect(config.ticketSigningKey()).toEqual(privateKey);
    expect(config.ticketPublicKeys()).toEqual([publicKey]);
    expect(() => parseConfig({ GCLOUD_PROJECT: 'acme-prod' }).ticketSigningKey()).toThrow(
      /TICKET_SIGNING_KEY/,
    );
    expect(() => parseConfig({ TICKET_PUBLIC_KEYS: '[]' })).toThrow(/TICKET_PUBLIC_KEYS/);
    const malformed = JSON.stringify({ ...privateKey, crv: 'P-256' });
    expect(() => parseConfig({ TICKET_SIGNING_KEY: malformed })).toThrow(/TICKET_SIGNING_KEY/);
    expect(() => parseConfig({ TICKET_SIGNING_KEY: malformed })).not.toThrow(privateKey.d);
  });

  it('names the variable that is malformed', () => {
    expect(() => parseConfig({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL/);
  });
});
