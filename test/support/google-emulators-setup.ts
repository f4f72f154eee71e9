import {
  type GoogleEmulator,
  googleEmulatorGcloud,
  shareGoogleEmulator,
  startGoogleEmulator,
} from './google-emulator';

/** Jest runs the global setup and teardown in one process, so the emulators are handed over on globalThis. */
const holder = globalThis as typeof globalThis & { eventManagerGoogleEmulators?: GoogleEmulator[] };

/**
 * Jest global setup of the `unit` project: starts Google's Firestore and Pub/Sub emulators, where gcloud
 * has them, once for the conformance suites of the whole run (see `googleEmulatorForFile`).
 */
export default async function globalSetup(): Promise<void> {
  const started = await Promise.all(
    (['firestore', 'pubsub'] as const).flatMap((kind) => {
      const gcloud = googleEmulatorGcloud(kind);
      if (gcloud === undefined) return [];
      return [
        startGoogleEmulator(kind, gcloud, 'demo-conformance').then((emulator) => {
          shareGoogleEmulator(kind, emulator);
          return emulator;
        }),
      ];
    }),
  );
  holder.eventManagerGoogleEmulators = started;
}

/** Jest global teardown of the `unit` project: stops what the setup started. */
export async function stopGoogleEmulators(): Promise<void> {
  const started = holder.eventManagerGoogleEmulators ?? [];
  delete holder.eventManagerGoogleEmulators;
  await Promise.all(started.map((emulator) => emulator.stop()));
}
