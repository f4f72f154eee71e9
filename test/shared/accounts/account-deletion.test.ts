import { activeTicketBookings, isUpcoming, newPseudonym } from '../../../shared/accounts/account-deletion';

const now = new Date('2027-03-01T12:00:00Z');
const later = new Date('2027-03-02T12:00:00Z');
const earlier = new Date('2027-02-28T12:00:00Z');

describe('isUpcoming', () => {
  it('is true for a scheduled event that has not started, stored with or without a status', () => {
    expect(isUpcoming({ startsAt: later, status: undefined }, now)).toBe(true);
    expect(isUpcoming({ startsAt: later, status: 'scheduled' }, now)).toBe(true);
  });

  it('is false once the event has started or when it was cancelled', () => {
    expect(isUpcoming({ startsAt: now, status: undefined }, now)).toBe(false);
    expect(isUpcoming({ startsAt: earlier, status: 'scheduled' }, now)).toBe(false);
    expect(isUpcoming({ startsAt: later, status: 'cancelled' }, now)).toBe(false);
  });
});

describe('activeTicketBookings', () => {
  it('names the confirmed bookings of events still to come, and only those', () => {
    const events = new Map([
      ['future', { startsAt: later, status: undefined }],
      ['past', { startsAt: earlier, status: undefined }],
      ['cancelled', { startsAt: later, status: 'cancelled' }],
    ]);
    const confirmed = [
      { id: 'b1', eventId: 'future' },
      { id: 'b2', eventId: 'past' },
      { id: 'b3', eventId: 'cancelled' },
      { id: 'b4', eventId: 'gone' },
      { id: 'b5', eventId: 'future' },
    ];
    expect(activeTicketBookings(confirmed, events, now)).toEqual(['b1', 'b5']);
    expect(activeTicketBookings([], events, now)).toEqual([]);
  });
});

describe('newPseudonym', () => {
  it('is random each time and says what it is', () => {
    const first = newPseudonym();
    expect(first).toMatch(/^erased-[0-9a-f-]{36}$/);
    expect(newPseudonym()).not.toBe(first);
  });
});
