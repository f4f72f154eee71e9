import { z } from 'zod';

const LOCAL_PROJECT_ID = 'demo-event-manager';

const environmentSchema = z.object({
  GCLOUD_PROJECT: z.string().min(1).optional(),
  GOOGLE_CLOUD_PROJECT: z.string().min(1).optional(),
  FIRESTORE_EMULATOR_HOST: z.string().min(1).optional(),
  FIREBASE_AUTH_EMULATOR_HOST: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
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
}

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
  };
}

let cached: Config | undefined;

/** The process configuration, read from the environment and validated once. */
export function getConfig(): Config {
  cached ??= parseConfig(process.env);
  return cached;
}
