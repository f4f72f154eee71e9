import { AsyncLocalStorage } from 'node:async_hooks';

/** Request-scoped fields that every log line of one request carries. */
export interface TraceContext {
  readonly traceId?: string;
  readonly spanId?: string;
  readonly functionName?: string;
}

const storage = new AsyncLocalStorage<TraceContext>();

/** Runs `work` with `context` attached to every log line written inside it, across awaits. */
export function runWithTraceContext<T>(context: TraceContext, work: () => T): T {
  return storage.run(context, work);
}

/** The trace context of the request being served, if any. */
export function currentTraceContext(): TraceContext | undefined {
  return storage.getStore();
}

const CLOUD_TRACE = /^([0-9a-f]{32})(?:\/(\d+))?/i;
const TRACEPARENT = /^[0-9a-f]{2}-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}$/i;

/**
 * Extracts the trace id from `traceparent` (W3C) or `X-Cloud-Trace-Context` (Google front end), so that
 * Cloud Logging groups a request's lines under its trace.
 */
export function parseTraceHeaders(
  traceparent: string | undefined,
  cloudTraceContext: string | undefined,
): Pick<TraceContext, 'traceId' | 'spanId'> {
  const w3c = traceparent === undefined ? null : TRACEPARENT.exec(traceparent.trim());
  if (w3c) return { traceId: w3c[1]?.toLowerCase(), spanId: w3c[2] };
  const google = cloudTraceContext === undefined ? null : CLOUD_TRACE.exec(cloudTraceContext.trim());
  if (google) {
    const spanId = google[2] === undefined ? undefined : BigInt(google[2]).toString(16).padStart(16, '0');
    return { traceId: google[1]?.toLowerCase(), spanId };
  }
  return {};
}
