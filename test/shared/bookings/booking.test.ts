import { codeHash } from '../../../shared/tickets/ticket';
import { toBookingResponse, visibleStatus } from '../../../shared/bookings/booking';
import { storedHold } from '../../support/bookings';

const booking = storedHold;

describe('visibleStatus', () => {
  it('shows a hold as expired from its expiresAt on, whatever is stored', () => {
    expect(visibleStatus(booking, new Date('2030-01-01T10:14:59Z'))).toBe('held');
    expect(visibleStatus(booking, new Date('2030-01-01T10:15:00Z'))).toBe('expired');
    expect(visibleStatus({ ...booking, status: 'confirmed' }, new Date('2031-01-01T00:00:00Z'))).toBe(
      'confirmed',
    );
  });
});

describe('toBookingResponse', () => {
  it('maps to the contract without internal fields, times in UTC', () => {
    expect(toBookingResponse(booking, new Date('2030-01-01T10:01:00Z'))).toEqual({
      id: 'b1',
      eventId: 'e1',
      userId: 'u1',
      quantity: 2,
      status: 'held',
      unitPrices: [1000, 1500],
      total: 2500,
      currency: 'EUR',
      expiresAt: '2030-01-01T10:15:00.000Z',
      createdAt: '2030-01-01T10:00:00.000Z',
    });
  });

  it('carries issued tickets', () => {
    const tickets = [
      { id: 't1', code: 'secret', qr: 'EMT1.a.b' },
      { id: 't2', code: 'other' },
    ];
    const confirmed = { ...booking, status: 'confirmed' as const, tickets };
    const checkedInAt = new Date(Date.UTC(2027, 2, 1, 19, 0));
    const states = new Map([[codeHash('secret'), { status: 'checked_in' as const, checkedInAt }]]);
    expect(toBookingResponse(confirmed, booking.createdAt, states).tickets).toEqual([
      {
        id: 't1',
        code: 'secret',
        qr: 'EMT1.a.b',
        status: 'checked_in',
        checkedInAt: '2027-03-01T19:00:00.000Z',
      },
      { id: 't2', code: 'other', status: 'valid' },
    ]);
    const refunding = { ...confirmed, status: 'refund_pending' as const };
    expect(toBookingResponse(refunding, booking.createdAt).tickets?.map((ticket) => ticket.status)).toEqual([
      'void',
      'void',
    ]);
  });
});
