import { stopGoogleEmulators } from './google-emulators-setup';

/** Jest global teardown of the `unit` project. */
export default function globalTeardown(): Promise<void> {
  return stopGoogleEmulators();
}
