import {
  currentTraceContext,
  parseTraceHeaders,
  runWithTraceContext,
} from '../../../shared/logging/trace-context';

describe('parseTraceHeaders', () => {
  it('reads a W3C traceparent', () => {
    expect(parseTraceHeaders('00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01', undefined)).toEqual({
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
    });
  });

  it('falls back to X-Cloud-Trace-Context, converting the decimal span id to hex', () => {
    expect(parseTraceHeaders(undefined, '105445aa7843bc8bf206b12000100000/255;o=1')).toEqual({
      traceId: '105445aa7843bc8bf206b12000100000',
      spanId: '00000000000000ff',
    });
  });

  it('ignores malformed headers', () => {
    expect(parseTraceHeaders('garbage', 'not-a-trace')).toEqual({});
  });
});

describe('runWithTraceContext', () => {
  it('keeps the context across awaits and drops it outside', async () => {
    await runWithTraceContext({ traceId: 'abc' }, async () => {
      await new Promise((resolve) => setImmediate(resolve));
      expect(currentTraceContext()?.traceId).toBe('abc');
    });
    expect(currentTraceContext()).toBeUndefined();
  });
});
