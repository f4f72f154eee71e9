import { createRequire } from 'node:module';

/**
 * Everything that reaches into firebase-tools' internals, typed with only what we use (firebase-tools 15 ships
 * no typings for them). Both modules are loaded with Node's own `require`, even under jest, so that the
 * emulator and the patch below always share one copy of exegesis.
 */

/** Constructor arguments of firebase-tools' `AuthEmulator`. */
export interface AuthEmulatorArgs {
  projectId: string;
  host: string;
  /** A falsy port means the emulator's default (9099), never a free one. */
  port: number;
  singleProjectMode: number;
}

/** firebase-tools' in-process Auth emulator (`lib/emulator/auth/index.js`). */
export interface AuthEmulatorInstance {
  /** Resolves once `listen` was called, not once the port is bound. */
  start(): Promise<void>;
  /** Closes the server and its open connections. */
  stop(): Promise<void>;
}

interface AuthEmulatorModule {
  AuthEmulator: new (args: AuthEmulatorArgs) => AuthEmulatorInstance;
  /** Whether the emulator warns about requests for a project other than the one it was started for. */
  SingleProjectMode: { readonly NO_WARNING: number };
}

interface ExegesisOptionsModule {
  compileOptions?: (options?: Record<string, unknown>) => unknown;
}

const requireFromFirebaseTools = createRequire(require.resolve('firebase-tools/package.json'));

/** Loads firebase-tools' Auth emulator module, set up to compile its API schemas lazily. */
export function loadAuthEmulatorModule(): AuthEmulatorModule {
  compileAuthApiSchemasLazily();
  return requireFromFirebaseTools('./lib/emulator/auth') as AuthEmulatorModule;
}

let lazySchemaCompilation = false;

/**
 * Makes the Auth emulator compile the JSON schemas of its API on first use of each operation instead of all
 * at start. firebase-tools builds the emulator with exegesis, which compiles every request and response
 * schema of the Identity Toolkit API up front: about 6 s of CPU (20 s on a busy machine) of a 7 s start,
 * while a test run uses a dozen operations. Validation is unchanged; only its compilation is deferred.
 *
 * firebase-tools has no option for it, so exegesis' option defaults are patched, in the copy that
 * firebase-tools loads. Throws if an upgrade moved them, rather than silently losing the speed-up.
 */
function compileAuthApiSchemasLazily(): void {
  if (lazySchemaCompilation) return;
  const requireFromExegesisExpress = createRequire(requireFromFirebaseTools.resolve('exegesis-express'));
  const optionsModule = requireFromExegesisExpress('exegesis/lib/options') as ExegesisOptionsModule;
  const compileOptions = optionsModule.compileOptions;
  if (typeof compileOptions !== 'function') {
    throw new Error('exegesis/lib/options no longer exports compileOptions: update ' + __filename);
  }
  optionsModule.compileOptions = (options = {}) =>
    compileOptions({ ...options, lazyCompileValidationSchemas: true });
  lazySchemaCompilation = true;
}
