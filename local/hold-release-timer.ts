/** How often the local stand-in for Cloud Scheduler runs the release job (production: every minute). */
export const DEFAULT_HOLD_RELEASE_INTERVAL_MS = 30_000;

/** A running timer. */
export interface HoldReleaseTimer {
  /** Stops scheduling runs; a run in flight finishes on its own. */
  stop(): void;
}

/** Where and how often to call the release job. */
export interface HoldReleaseTimerOptions {
  /** Base URL of the local functions (`http://127.0.0.1:5001`). */
  readonly functionsUrl: string;
  readonly intervalMs?: number;
  /** Receives one line per run that released something or failed; silent by default. */
  readonly log?: (line: string) => void;
}

interface ReleaseCounts {
  readonly examined: number;
  readonly expired: number;
  readonly failed: number;
}

async function runOnce(options: HoldReleaseTimerOptions): Promise<void> {
  const response = await fetch(`${options.functionsUrl}/releaseExpiredHolds`, { method: 'POST' });
  if (!response.ok) {
    options.log?.(`releaseExpiredHolds answered ${response.status}: ${await response.text()}`);
    return;
  }
  const counts = (await response.json()) as ReleaseCounts;
  if (counts.expired > 0 || counts.failed > 0) {
    options.log?.(`releaseExpiredHolds: ${counts.expired} hold(s) expired, ${counts.failed} failed`);
  }
}

/**
 * Plays Cloud Scheduler for `npm start`: calls the internal `releaseExpiredHolds` function over HTTP, as the
 * scheduler does in production, every `intervalMs`. Runs never overlap (the next is scheduled when one ends)
 * and the timer never keeps the process alive.
 */
export function startHoldReleaseTimer(options: HoldReleaseTimerOptions): HoldReleaseTimer {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const schedule = (): void => {
    if (stopped) return;
    timer = setTimeout(() => {
      runOnce(options)
        .catch((error: unknown) => options.log?.(`releaseExpiredHolds failed: ${String(error)}`))
        .finally(schedule);
    }, options.intervalMs ?? DEFAULT_HOLD_RELEASE_INTERVAL_MS);
    timer.unref();
  };
  schedule();
  return {
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
