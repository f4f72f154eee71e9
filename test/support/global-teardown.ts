import { takeLocalCloud } from './local-cloud-handle';

/** Jest global teardown of the `integration` project: stops the local cloud, leaving no process behind. */
export default async function globalTeardown(): Promise<void> {
  await takeLocalCloud()?.stop();
}
