import type { LocalCloud } from '../../local/cloud';

/** Jest runs the global setup and teardown in one process, so the running cloud is handed over on globalThis. */
const holder = globalThis as typeof globalThis & { eventManagerLocalCloud?: LocalCloud };

/** Keeps the local cloud started by the global setup for the global teardown. */
export function keepLocalCloud(cloud: LocalCloud): void {
  holder.eventManagerLocalCloud = cloud;
}

/** Returns the local cloud kept by the global setup (if it got that far) and forgets it. */
export function takeLocalCloud(): LocalCloud | undefined {
  const cloud = holder.eventManagerLocalCloud;
  delete holder.eventManagerLocalCloud;
  return cloud;
}
