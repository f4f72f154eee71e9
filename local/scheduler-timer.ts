/** How often the local stand-in for Cloud Scheduler runs each job (production: every minute). */
export const DEFAULT_SCHEDULER_INTERVAL_MS = 30_000;

/**
 * The internal functions Cloud Scheduler calls in production that `npm start` must run for the journeys
 * to finish locally: lapsed holds released, outbox leftovers published, returned tickets offered to the
 * waitlist, cancelled events settled and refunded, `event.updated` fanned out. The reconciliations only
 * raise alerts, so they are left to be called by hand.
 */
export const LOCAL_SCHEDULED_JOBS = [
  'releaseExpiredHolds',
  'sweepOutbox',
  'offerWaitlistTickets',
  'runEventCancellations',
  'fanOutNotifications',
] as const;

/** Running timers. */
export interface SchedulerTimer {
  /** Stops scheduling runs; a run in flight finishes on its own. */
  stop(): void;
}

/** Where and how often to call the jobs. */
export interface SchedulerTimerOptions {
  /** Base URL of the local functions (`http://127.0.0.1:5001`). */
  readonly functionsUrl: string;
  readonly jobs?: readonly string[];
  readonly intervalMs?: number;
  /** Receives one line per run that failed; silent by default. */
  readonly log?: (line: string) => void;
}

async function runOnce(job: string, options: SchedulerTimerOptions): Promise<void> {
  const response = await fetch(`${options.functionsUrl}/${job}`, { method: 'POST' });
  const body = await response.text();
  if (!response.ok) options.log?.(`${job} answered ${response.status}: ${body}`);
}

/**
 * Plays Cloud Scheduler for `npm start`: calls each job's internal function over HTTP, as the scheduler
 * does in production, every `intervalMs`. Each job has its own timer, so a long run of one (a cancellation
 * paced by Stripe's rate) never delays the others; runs of one job never overlap (the next is scheduled
 * when one ends), and the timers never keep the process alive.
 */
export function startSchedulerTimer(options: SchedulerTimerOptions): SchedulerTimer {
  const timers = new Map<string, NodeJS.Timeout>();
  let stopped = false;
  const schedule = (job: string): void => {
    if (stopped) return;
    const timer = setTimeout(() => {
      runOnce(job, options)
        .catch((error: unknown) => options.log?.(`${job} failed: ${String(error)}`))
        .finally(() => schedule(job));
    }, options.intervalMs ?? DEFAULT_SCHEDULER_INTERVAL_MS);
    timer.unref();
    timers.set(job, timer);
  };
  for (const job of options.jobs ?? LOCAL_SCHEDULED_JOBS) schedule(job);
  return {
    stop: () => {
      stopped = true;
      for (const timer of timers.values()) clearTimeout(timer);
    },
  };
}
