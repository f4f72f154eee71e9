import type { Booking } from '../../../shared/bookings/booking';
import { assertBookable, bookability, cancellability, canRead } from '../../../shared/bookings/booking-rules';
import { ConflictError, NotFoundError, ValidationError } from '../../../shared/errors/domain-errors';
import type { StoredEvent } from '../../../shared/events/event';

const now = new Date('2030-01-01T10:00:00Z');

const event = {
  id: 'e1',
  companyId: 'c1',
  startsAt: new Date('2030-02-01T20:00:00Z'),
  maxTicketsPerBooking: 4,
} as StoredEvent;

const booking: Booking = {
  id: 'b1',
  eventId: 'e1',
  userId: 'u1',
  companyId: 'c1',
  quantity: 1,
  status: 'held',
  unitPrices: [1000],
  total: 1000,
  currency: 'EUR',
  allocation: [{ shardId: 'base-0', pool: 'base', quantity: 1 }],
  expiresAt: new Date('2030-01-01T10:15:00Z'),
  createdAt: now,
  updatedAt: now,
};

function conflictKind(run: () => void): string | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof ConflictError) return error.kind;
    throw error;
  }
  return undefined;
}

describe('bookability', () => {
  it('refuses an unknown event, then a cancelled one, then too many tickets, then a started event', () => {
    const started = { ...event, startsAt: now };
    const cancelled = { ...started, status: 'cancelled' } as StoredEvent;
    expect(bookability(undefined, 9, now)).toEqual({ kind: 'event-not-found' });
    expect(bookability(cancelled, 9, now)).toEqual({ kind: 'event-cancelled' });
    expect(bookability(started, 9, now)).toEqual({ kind: 'too-many-tickets', maxTicketsPerBooking: 4 });
    expect(bookability(started, 4, now)).toEqual({ kind: 'event-started' });
    expect(bookability(event, 4, now)).toEqual({ kind: 'bookable', event });
  });
});

describe('assertBookable', () => {
  it('throws the typed error of each refusal, in the same order, and returns a bookable event', () => {
    expect(() => assertBookable(undefined, 9, now)).toThrow(NotFoundError);
    const started = { ...event, startsAt: now };
    expect(() => assertBookable(started, 9, now)).toThrow(ValidationError);
    expect(conflictKind(() => assertBookable(started, 4, now))).toBe('event-started');
    expect(assertBookable(event, 4, now)).toBe(event);
  });
});

describe('canRead', () => {
  it("lets the owner and the event company's admins read, nobody else", () => {
    expect(canRead({ uid: 'u1', role: 'user', companyId: undefined }, booking)).toBe(true);
    expect(canRead({ uid: 'a1', role: 'admin', companyId: 'c1' }, booking)).toBe(true);
    expect(canRead({ uid: 'a2', role: 'admin', companyId: 'c2' }, booking)).toBe(false);
    expect(canRead({ uid: 'u2', role: 'user', companyId: 'c1' }, booking)).toBe(false);
  });
});

describe('cancellability', () => {
  it('lets the owner cancel an open hold only, and says why not otherwise', () => {
    expect(cancellability(booking, 'u1', now)).toEqual({ kind: 'cancellable', booking });
    expect(cancellability(booking, 'u2', now)).toEqual({ kind: 'booking-not-found' });
    expect(cancellability(undefined, 'u1', now)).toEqual({ kind: 'booking-not-found' });
    expect(cancellability({ ...booking, status: 'confirmed' }, 'u1', now)).toEqual({
      kind: 'paid-meanwhile',
    });
    expect(cancellability(booking, 'u1', booking.expiresAt)).toEqual({ kind: 'not-held', status: 'expired' });
    for (const status of ['cancelled', 'expired', 'refunded'] as const) {
      expect(cancellability({ ...booking, status }, 'u1', now)).toEqual({ kind: 'not-held', status });
    }
  });
});
