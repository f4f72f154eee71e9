import * as z from 'zod';
import type { CloudEvent } from '@google-cloud/functions-framework';
import { decodePubSubMessage, deliveryHandler } from '../../../shared/pubsub/define-cloud-event-function';

const schema = z.strictObject({ bookingId: z.string() });

function pushData(payload: unknown) {
  return { message: { data: Buffer.from(JSON.stringify(payload)).toString('base64'), messageId: '1' } };
}

describe('decodePubSubMessage', () => {
  it('decodes the base64 JSON payload and validates it', () => {
    expect(decodePubSubMessage(pushData({ bookingId: 'b1' }), schema)).toEqual({ bookingId: 'b1' });
  });

  it('rejects payloads that do not match the schema', () => {
    expect(() => decodePubSubMessage(pushData({ bookingId: 1 }), schema)).toThrow();
    expect(() => decodePubSubMessage({}, schema)).toThrow();
  });
});

describe('deliveryHandler', () => {
  function delivery(payload: unknown, traceparent?: string): CloudEvent<unknown> {
    return {
      specversion: '1.0',
      id: 'evt-1',
      source: 'pubsub',
      type: 'google.cloud.pubsub.topic.v1.messagePublished',
      data: pushData(payload),
      ...(traceparent === undefined ? {} : { traceparent }),
    };
  }

  async function logLinesOf(work: () => Promise<void>): Promise<Record<string, unknown>[]> {
    const lines: string[] = [];
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      lines.push(String(chunk));
      return true;
    });
    try {
      await work();
    } finally {
      write.mockRestore();
    }
    return lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  }

  it("logs one line per delivery in the function's context and its trace, with the handler's own lines", async () => {
    const handler = deliveryHandler({
      name: 'issueTickets',
      message: schema,
      handle: async () => undefined,
    });
    const lines = await logLinesOf(() =>
      handler(delivery({ bookingId: 'b1' }, '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01')),
    );
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      severity: 'INFO',
      function: 'issueTickets',
      eventId: 'evt-1',
      'logging.googleapis.com/spanId': '00f067aa0ba902b7',
    });
    expect(String(lines[0]?.['logging.googleapis.com/trace'])).toMatch(
      /traces\/4bf92f3577b34da6a3ce929d0e0e4736$/,
    );
    expect(lines[0]?.['latency']).toMatch(/^\d+\.\d{6}s$/);
  });

  it('logs a failure as an error and rethrows it, so that Pub/Sub redelivers', async () => {
    const handler = deliveryHandler({ name: 'issueTickets', message: schema, handle: async () => undefined });
    let failure: unknown;
    const lines = await logLinesOf(() =>
      handler(delivery({ bookingId: 1 })).catch((error: unknown) => {
        failure = error;
      }),
    );
    expect(failure).toBeInstanceOf(Error);
    expect(lines).toEqual([
      expect.objectContaining({ severity: 'ERROR', function: 'issueTickets', eventId: 'evt-1' }),
    ]);
  });
});
