/** Something a command line program runs until it is told to stop. */
export interface StoppableService {
  stop(): Promise<void>;
}

/** Parses a flag that must be a non-negative integer (ports, milliseconds, counts); undefined stays so. */
export function integerFlag(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) throw new Error(`--${flag} must be a non-negative integer`);
  return value;
}

/** Parses a flag that must be a non-negative number (scales, factors); undefined stays so. */
export function numberFlag(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${flag} must be a non-negative number`);
  return value;
}

function fail(error: unknown): never {
  console.error(error);
  process.exit(1);
}

/**
 * Starts a local service from a command line, prints its one ready line (what parent processes wait for),
 * and stops it cleanly on SIGTERM or SIGINT. Any start-up error ends the process with status 1.
 */
export function runUntilSignalled<T extends StoppableService>(
  start: () => Promise<T>,
  readyLine: (service: T) => string,
): void {
  start().then((service) => {
    console.log(readyLine(service));
    const stop = () => {
      service.stop().then(() => process.exit(0), fail);
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  }, fail);
}
