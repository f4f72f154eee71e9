import { z } from 'zod';
import { decodePubSubMessage } from '../../../shared/pubsub/define-cloud-event-function';

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
