import { decodeBookingCursor, encodeBookingCursor } from '../../../shared/bookings/booking-cursor';
import { ValidationError } from '../../../shared/errors/domain-errors';

describe('booking cursor', () => {
  it('round-trips a position as an opaque URL-safe string', () => {
    const cursor = { createdAtMs: 1_900_000_000_123, id: 'AbC123' };
    const encoded = encodeBookingCursor(cursor);
    expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeBookingCursor(encoded)).toEqual(cursor);
  });

  it.each([
    'not base64 json',
    Buffer.from('[1,"a/b"]').toString('base64url'),
    Buffer.from('{}').toString('base64url'),
  ])('refuses %s with a 400 naming the cursor', (encoded) => {
    expect(() => decodeBookingCursor(encoded)).toThrow(ValidationError);
  });
});
