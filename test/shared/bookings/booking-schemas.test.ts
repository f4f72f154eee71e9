import {
  bookBodySchema,
  myBookingsQuerySchema,
  parseIdempotencyKey,
} from '../../../shared/bookings/booking-schemas';
import { ValidationError } from '../../../shared/errors/domain-errors';

describe('booking schemas', () => {
  it('accepts a booking body and refuses unknown fields and bad quantities', () => {
    expect(bookBodySchema.parse({ eventId: 'abc', quantity: 2 })).toEqual({ eventId: 'abc', quantity: 2 });
    expect(bookBodySchema.safeParse({ eventId: 'abc', quantity: 2, price: 1 }).success).toBe(false);
    expect(bookBodySchema.safeParse({ eventId: 'abc', quantity: 0 }).success).toBe(false);
    expect(bookBodySchema.safeParse({ eventId: 'abc', quantity: '2' }).success).toBe(false);
  });

  it('defaults and bounds the page size of myBookings', () => {
    expect(myBookingsQuerySchema.parse({})).toEqual({ limit: 20 });
    expect(myBookingsQuerySchema.parse({ limit: '50' })).toEqual({ limit: 50 });
    expect(myBookingsQuerySchema.safeParse({ limit: '51' }).success).toBe(false);
  });

  it('takes Idempotency-Key values of 1 to 255 visible ASCII characters', () => {
    expect(parseIdempotencyKey(undefined)).toBeUndefined();
    expect(parseIdempotencyKey('a'.repeat(255))).toBe('a'.repeat(255));
    for (const bad of ['', 'a'.repeat(256), 'with space', 'clé']) {
      expect(() => parseIdempotencyKey(bad)).toThrow(ValidationError);
    }
  });
});
