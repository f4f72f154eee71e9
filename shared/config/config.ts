import * as z from 'zod';
import { corsOriginsVariable } from '../http/cors';
import {
  privateTicketKeySchema,
  publicTicketKeySchema,
  type PrivateTicketKey,
  type PublicTicketKey,
} from '../tickets/ticket-signing';
import {
  jsonVariable,
  perAddressLimitVariable,
  perUserLimitsVariable,
  rateLimitSettings,
  type RateLimitSettings,
} from '../rate-limits/rate-limit-policy';

const LOCAL_PROJECT_ID = 'demo-event-manager';

const environmentSchema = z.object({
  GCLOUD_PROJECT: z.string().min(1).optional(),
  GOOGLE_CLOUD_PROJECT: z.string().min(1).optional(),
  FIRESTORE_EMULATOR_HOST: z.string().min(1).optional(),
  FIREBASE_AUTH_EMULATOR_HOST: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  PUBSUB_EMULATOR_HOST: z.string().min(1).optional(),
  STRIPE_SECRET_KEY: z
    .string()
    .regex(/^(sk|rk)_(test|live)_\w+$/, 'not a Stripe secret key')
    .optional(),
  STRIPE_WEBHOOK_SECRET: z
    .string()
    .regex(/^whsec_\w+$/, 'not a Stripe webhook secret')
    .optional(),
  STRIPE_API_HOST: z.string().min(1).optional(),
  STRIPE_API_PORT: z.coerce.number().int().min(1).max(65_535).optional(),
  STRIPE_API_PROTOCOL: z.enum(['http', 'https']).optional(),
  RATE_LIMITS: perUserLimitsVariable.optional(),
  RATE_LIMIT_PER_IP: perAddressLimitVariable.optional(),
  CORS_ALLOWED_ORIGINS: corsOriginsVariable.optional(),
  TICKETS_OVERDUE_AFTER_MINUTES: z.coerce.number().int().min(1).max(1440).default(10),
  CANCELLATION_REFUNDS_PER_SECOND: z.coerce.number().gt(0).max(100).default(10),
  CANCELLATION_RUN_SECONDS: z.coerce.number().int().min(1).max(3500).default(50),
  TICKET_SIGNING_KEY: jsonVariable(privateTicketKeySchema).optional(),
  TICKET_PUBLIC_KEYS: jsonVariable(z.array(publicTicketKeySchema).min(1)).optional(),
});

/** Every environment variable the configuration reads; deployments may set no others. */
export const CONFIG_VARIABLES = environmentSchema.keyof().options;

/** The validated runtime configuration shared by every function. */
export interface Config {
  /** Google Cloud / Firebase project id; `demo-*` ids never reach real services. */
  readonly projectId: string;
  readonly firestoreEmulatorHost: string | undefined;
  readonly authEmulatorHost: string | undefined;
  readonly logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  /** `host:port` of the Pub/Sub emulator; the Pub/Sub SDK also reads the variable itself. */
  readonly pubsubEmulatorHost: string | undefined;
  /**
   * Stripe settings, validated on first access only: functions that never touch Stripe must start without
   * its secrets (Terraform gives them only to the functions that use them).
   */
  readonly stripe: () => StripeConfig;
  /** Rate limits of the write functions: defaults with `RATE_LIMITS` / `RATE_LIMIT_PER_IP` applied. */
  readonly rateLimits: RateLimitSettings;
  /** Origins allowed to call from a browser (`CORS_ALLOWED_ORIGINS`); empty: CORS is off. */
  readonly corsAllowedOrigins: readonly string[];
  /**
   * How long a paid booking may wait for its tickets before the reconciliation issues them and logs an
   * error (`TICKETS_OVERDUE_AFTER_MINUTES`, default 10).
   */
  readonly ticketsOverdueAfterMinutes: number;
  /**
   * How the cancellation worker refunds a cancelled event's bookings: refunds per second it sends to
   * Stripe (`CANCELLATION_REFUNDS_PER_SECOND`, default 10, well inside Stripe's live limit of 25 requests
   * per second per endpoint; docs/cancellation.md) and how long one run works
   * (`CANCELLATION_RUN_SECONDS`, default 50, inside the scheduler's minute).
   */
  readonly cancellation: { readonly refundsPerSecond: number; readonly runSeconds: number };
  /**
   * The private key that signs ticket QR strings (`TICKET_SIGNING_KEY`, a JWK from Secret Manager),
   * required on first access only: Terraform gives it to the functions that issue tickets and to no other.
   */
  readonly ticketSigningKey: () => PrivateTicketKey;
  /**
   * The public keys door devices and `checkIn` verify QR strings with (`TICKET_PUBLIC_KEYS`, a JSON array
   * of JWKs): the signing key's plus every retired key whose tickets are still in use (docs/check-in.md).
   */
  readonly ticketPublicKeys: () => readonly PublicTicketKey[];
}

/** How the payment functions reach Stripe (or the local Stripe sandbox). */
export interface StripeConfig {
  readonly secretKey: string;
  /** Only the function that verifies webhooks receives it (terraform/functions.tf). */
  readonly webhookSecret: string | undefined;
  /** Set only to reach the local sandbox; undefined means Stripe's own API. */
  readonly apiHost: string | undefined;
  readonly apiPort: number | undefined;
  readonly apiProtocol: 'http' | 'https' | undefined;
}

/** Keys that only exist to run offline: any `sk_test_`/`whsec_` value is accepted by the sandbox. */
const LOCAL_STRIPE_SECRET_KEY = 'sk_test_local_event_manager';
const LOCAL_STRIPE_WEBHOOK_SECRET = 'whsec_local_event_manager';

/** Raised at start-up when the environment is invalid, so a misconfigured instance never serves. */
export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
}

/**
 * Parses and validates an environment. Exported for tests; production code calls {@link getConfig}.
 *
 * @throws ConfigurationError when a variable is malformed, or when the Auth emulator is configured for a
 * project that is not a `demo-` project (unsigned emulator tokens must never be accepted by a real project).
 */
export function parseConfig(environment: Record<string, string | undefined>): Config {
  const parsed = environmentSchema.safeParse(environment);
  if (!parsed.success) {
    const details = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigurationError(`Invalid environment: ${details.join('; ')}`);
  }
  const env = parsed.data;
  const projectId = env.GCLOUD_PROJECT ?? env.GOOGLE_CLOUD_PROJECT ?? LOCAL_PROJECT_ID;
  if (env.FIREBASE_AUTH_EMULATOR_HOST !== undefined && !projectId.startsWith('demo-')) {
    throw new ConfigurationError(
      `FIREBASE_AUTH_EMULATOR_HOST is set while the project "${projectId}" is not a demo project: ` +
        'the Admin SDK would accept unsigned tokens. Unset it in production.',
    );
  }
  return {
    projectId,
    firestoreEmulatorHost: env.FIRESTORE_EMULATOR_HOST,
    authEmulatorHost: env.FIREBASE_AUTH_EMULATOR_HOST,
    logLevel: env.LOG_LEVEL,
    pubsubEmulatorHost: env.PUBSUB_EMULATOR_HOST,
    stripe: lazily(() => stripeConfig(env, projectId)),
    rateLimits: rateLimitSettings(env.RATE_LIMITS, env.RATE_LIMIT_PER_IP),
    corsAllowedOrigins: env.CORS_ALLOWED_ORIGINS ?? [],
    ticketsOverdueAfterMinutes: env.TICKETS_OVERDUE_AFTER_MINUTES,
    cancellation: {
      refundsPerSecond: env.CANCELLATION_REFUNDS_PER_SECOND,
      runSeconds: env.CANCELLATION_RUN_SECONDS,
    },
    ticketSigningKey: () => required(env.TICKET_SIGNING_KEY, 'TICKET_SIGNING_KEY', projectId),
    ticketPublicKeys: () => required(env.TICKET_PUBLIC_KEYS, 'TICKET_PUBLIC_KEYS', projectId),
  };
}

/** A setting that only some functions need, checked when one of them first uses it. */
function required<T>(value: T | undefined, variable: string, projectId: string): T {
  if (value === undefined) {
    throw new ConfigurationError(`${variable} is required in the project "${projectId}" by this function.`);
  }
  return value;
}

type Environment = z.infer<typeof environmentSchema>;

function lazily<T>(build: () => T): () => T {
  let value: { readonly built: T } | undefined;
  return () => (value ??= { built: build() }).built;
}

/**
 * Local defaults exist only for `demo-` projects, so a real deployment missing its key fails at the first
 * payment call instead of charging with a key nobody configured. The webhook secret is left undefined
 * where it is not given: each function receives only the secrets it uses, and verifying a webhook without
 * it fails then.
 */
function stripeConfig(env: Environment, projectId: string): StripeConfig {
  const local = projectId.startsWith('demo-');
  const secretKey = env.STRIPE_SECRET_KEY ?? (local ? LOCAL_STRIPE_SECRET_KEY : undefined);
  const webhookSecret = env.STRIPE_WEBHOOK_SECRET ?? (local ? LOCAL_STRIPE_WEBHOOK_SECRET : undefined);
  if (secretKey === undefined) {
    throw new ConfigurationError(`STRIPE_SECRET_KEY is required in the project "${projectId}".`);
  }
  return {
    secretKey,
    webhookSecret,
    apiHost: env.STRIPE_API_HOST,
    apiPort: env.STRIPE_API_PORT,
    apiProtocol: env.STRIPE_API_PROTOCOL,
  };
}

let cached: Config | undefined;

/** The process configuration, read from the environment and validated once. */
export function getConfig(): Config {
  cached ??= parseConfig(process.env);
  return cached;
}
