import { getConfig } from '../config/config';
import { currentTraceContext } from './trace-context';

/** Cloud Logging severities this service writes. */
export type Severity = 'DEBUG' | 'INFO' | 'WARNING' | 'ERROR';

/** Structured fields of a log line; values must be JSON-serialisable. Never put card data or tokens here. */
export type LogFields = Record<string, unknown>;

const SEVERITY_RANK: Record<Severity, number> = { DEBUG: 0, INFO: 1, WARNING: 2, ERROR: 3 };
const LEVEL_RANK = { debug: 0, info: 1, warn: 2, error: 3, silent: 4 } as const;

function serialiseError(error: unknown): LogFields {
  if (error instanceof Error) {
    // Cloud Error Reporting picks up entries whose stack_trace holds a stack.
    return { error: { name: error.name, message: error.message }, stack_trace: error.stack };
  }
  return { error: String(error) };
}

function write(severity: Severity, message: string, fields: LogFields | undefined): void {
  const config = getConfig();
  if (SEVERITY_RANK[severity] < LEVEL_RANK[config.logLevel]) return;
  const trace = currentTraceContext();
  const { err, ...rest } = fields ?? {};
  const entry: LogFields = {
    severity,
    message,
    time: new Date().toISOString(),
    ...(trace?.functionName === undefined ? {} : { function: trace.functionName }),
    ...(trace?.traceId === undefined
      ? {}
      : { 'logging.googleapis.com/trace': `projects/${config.projectId}/traces/${trace.traceId}` }),
    ...(trace?.spanId === undefined ? {} : { 'logging.googleapis.com/spanId': trace.spanId }),
    ...rest,
    ...(err === undefined ? {} : serialiseError(err)),
  };
  // Cloud Logging parses one JSON object per stdout line into a structured entry.
  process.stdout.write(`${JSON.stringify(entry)}\n`);
}

/** Time since `startedAt` (`process.hrtime.bigint()`) as Cloud Logging writes durations: `"0.012345s"`. */
export function elapsedSince(startedAt: bigint): string {
  return `${(Number(process.hrtime.bigint() - startedAt) / 1e9).toFixed(6)}s`;
}

/** The structured JSON logger Cloud Logging understands. Pass an error as `err` to log its stack. */
export const logger = {
  debug: (message: string, fields?: LogFields): void => write('DEBUG', message, fields),
  info: (message: string, fields?: LogFields): void => write('INFO', message, fields),
  warn: (message: string, fields?: LogFields): void => write('WARNING', message, fields),
  error: (message: string, fields?: LogFields): void => write('ERROR', message, fields),
};
