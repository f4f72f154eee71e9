import { toEventResponse, withChanges, type StoredEvent } from '../../../shared/events/event';
import { currentPrice } from '../../../shared/events/current-price';

const event: StoredEvent = {
  id: 'e1',
  companyId: 'c1',
  name: 'Jazz Night',
  description: null,
  startsAt: new Date('2031-03-01T18:30:00Z'),
  venue: 'Blue Note',
  location: { lat: 48.1, lng: 11.5 },
  totalTickets: 100,
  currency: 'EUR',
  basePrice: 2500,
  surgePrice: 4000,
  surgeThreshold: 80,
  holdMinutes: 15,
  maxTicketsPerBooking: 10,
  version: 3,
  createdAt: new Date('2030-01-01T00:00:00Z'),
  updatedAt: new Date('2030-01-02T00:00:00Z'),
  status: 'scheduled',
};

describe('currentPrice', () => {
  it('is the base price while base tickets are left, the surge price after', () => {
    expect(currentPrice(event, { availableTickets: 21, baseAvailable: 1 })).toBe(2500);
    expect(currentPrice(event, { availableTickets: 20, baseAvailable: 0 })).toBe(4000);
    expect(currentPrice(event, { availableTickets: 0, baseAvailable: 0 })).toBe(4000);
  });
});

describe('withChanges', () => {
  it('changes only the given fields and can remove the description', () => {
    const changed = withChanges({ ...event, description: 'old' }, { name: 'New', description: null });
    expect(changed).toMatchObject({ name: 'New', description: null, venue: 'Blue Note', totalTickets: 100 });
  });
});

describe('toEventResponse', () => {
  it('has exactly the contract fields, times in UTC', () => {
    expect(toEventResponse(event, { availableTickets: 10, baseAvailable: 0 })).toEqual({
      id: 'e1',
      companyId: 'c1',
      name: 'Jazz Night',
      description: null,
      startsAt: '2031-03-01T18:30:00.000Z',
      venue: 'Blue Note',
      location: { lat: 48.1, lng: 11.5 },
      totalTickets: 100,
      availableTickets: 10,
      currency: 'EUR',
      basePrice: 2500,
      surgePrice: 4000,
      surgeThreshold: 80,
      currentPrice: 4000,
      holdMinutes: 15,
      maxTicketsPerBooking: 10,
      version: 3,
      createdAt: '2030-01-01T00:00:00.000Z',
      updatedAt: '2030-01-02T00:00:00.000Z',
      status: 'scheduled',
    });
  });

  it('shows a cancelled event with when and why, and nothing left to sell', () => {
    const cancelled: StoredEvent = {
      ...event,
      status: 'cancelled',
      cancelledAt: new Date('2030-02-01T10:00:00+01:00'),
      cancellationReason: 'Venue flooded',
    };
    const response = toEventResponse(cancelled, { availableTickets: 10, baseAvailable: 0 });
    expect(response).toMatchObject({
      status: 'cancelled',
      cancelledAt: '2030-02-01T09:00:00.000Z',
      cancellationReason: 'Venue flooded',
      availableTickets: 0,
    });
  });
});
