import {
  emptyGate,
  gateWith,
  toEntryResponse,
  type WaitlistEntry,
} from '../../../shared/waitlist/waitlist-entry';

const entry: WaitlistEntry = {
  id: 'entry1',
  eventId: 'event1',
  userId: 'user1',
  quantity: 2,
  status: 'waiting',
  seq: 7,
  createdAt: new Date('2027-03-01T18:30:00+01:00'),
  updatedAt: new Date('2027-03-01T18:30:00+01:00'),
};

describe('gateWith', () => {
  it('counts a join per quantity and draws the next sequence number', () => {
    const joined = gateWith(gateWith(emptyGate('event1'), 2, 1), 1, 1);

    expect(joined).toEqual({ eventId: 'event1', waiting: { '1': 1, '2': 1 }, waitingCount: 2, nextSeq: 3 });
  });

  it('drops a quantity nobody waits for any more and keeps the sequence when an entry stops waiting', () => {
    const joined = gateWith(gateWith(emptyGate('event1'), 2, 1), 2, 1);

    expect(gateWith(gateWith(joined, 2, -1), 2, -1)).toEqual({
      eventId: 'event1',
      waiting: {},
      waitingCount: 0,
      nextSeq: 3,
    });
  });
});

describe('toEntryResponse', () => {
  it('gives the position of a waiting entry, in UTC', () => {
    expect(toEntryResponse(entry, 3)).toEqual({
      id: 'entry1',
      eventId: 'event1',
      userId: 'user1',
      quantity: 2,
      status: 'waiting',
      position: 3,
      createdAt: '2027-03-01T17:30:00.000Z',
    });
  });

  it('gives no position once the entry stopped waiting, and the offer once offered', () => {
    const offered = toEntryResponse({ ...entry, status: 'offered', bookingId: 'booking1' }, 3);

    expect(offered).not.toHaveProperty('position');
    expect(offered.bookingId).toBe('booking1');
  });
});
