import * as z from 'zod';
import {
  createEventBodySchema,
  getEventQuerySchema,
  searchEventsQuerySchema,
  updateEventBodySchema,
} from '../../../shared/events/event-schemas';
import { encodeCursor } from '../../../shared/events/search/cursor';

const valid = {
  name: ' Jazz Night ',
  startsAt: '2031-03-01T19:30:00+01:00',
  venue: 'Blue Note',
  location: { lat: 48.1, lng: 11.5 },
  totalTickets: 100,
  currency: 'EUR',
  basePrice: 2500,
  surgePrice: 4000,
  surgeThreshold: 80,
};

function pathsOf(schema: z.ZodType, value: unknown): string[] {
  const result = schema.safeParse(value);
  if (result.success) return [];
  return result.error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys' ? issue.keys : [issue.path.join('.')],
  );
}

describe('createEventBodySchema', () => {
  it('trims texts, reads the offset and applies the defaults', () => {
    expect(createEventBodySchema.parse(valid)).toEqual({
      ...valid,
      name: 'Jazz Night',
      startsAt: new Date('2031-03-01T18:30:00Z'),
      holdMinutes: 15,
      maxTicketsPerBooking: 10,
    });
  });

  it('stores a blank description as none', () => {
    expect(createEventBodySchema.parse({ ...valid, description: '  ' }).description).toBeNull();
  });

  it.each<[string, Record<string, unknown>]>([
    ['name', { name: '   ' }],
    ['startsAt', { startsAt: '2031-03-01T19:30:00' }],
    ['venue', { venue: 'x'.repeat(201) }],
    ['location.lat', { location: { lat: 90.5, lng: 0 } }],
    ['location.lng', { location: { lat: 0, lng: -181 } }],
    ['totalTickets', { totalTickets: 0 }],
    ['totalTickets', { totalTickets: 1_000_001 }],
    ['currency', { currency: 'eur' }],
    ['currency', { currency: 'ABC' }],
    ['basePrice', { basePrice: 12.5 }],
    ['basePrice', { basePrice: 0 }],
    ['surgePrice', { surgePrice: '4000' }],
    ['surgeThreshold', { surgeThreshold: 0 }],
    ['holdMinutes', { holdMinutes: 61 }],
    ['maxTicketsPerBooking', { maxTicketsPerBooking: 51 }],
    ['description', { description: 'x'.repeat(2001) }],
  ])('names %s when it is invalid', (path, change) => {
    expect(pathsOf(createEventBodySchema, { ...valid, ...change })).toEqual([path]);
  });

  it('rejects fields the client may not set', () => {
    expect(pathsOf(createEventBodySchema, { ...valid, companyId: 'c1', version: 3 })).toEqual([
      'companyId',
      'version',
    ]);
  });
});

describe('updateEventBodySchema', () => {
  it('takes the fields to change besides id and version, without defaults', () => {
    expect(updateEventBodySchema.parse({ id: 'abc123', version: 2, description: null })).toEqual({
      id: 'abc123',
      version: 2,
      description: null,
    });
  });

  it('requires id, version and at least one change', () => {
    expect(pathsOf(updateEventBodySchema, { name: 'x' })).toEqual(['id', 'version']);
    expect(pathsOf(updateEventBodySchema, { id: 'abc', version: 1 })).toEqual(['']);
  });

  it('rejects unknown fields and ids that cannot name an event', () => {
    expect(pathsOf(updateEventBodySchema, { id: 'a/b', version: 1, name: 'x', status: 'x' })).toEqual([
      'id',
      'status',
    ]);
  });
});

describe('getEventQuerySchema', () => {
  it('takes one event id', () => {
    expect(pathsOf(getEventQuerySchema, { id: 'abc', extra: '1' })).toEqual(['extra']);
    expect(pathsOf(getEventQuerySchema, {})).toEqual(['id']);
  });
});

describe('searchEventsQuerySchema', () => {
  it('has defaults for a bare search', () => {
    expect(searchEventsQuerySchema.parse({})).toEqual({
      filters: { onlyAvailable: false },
      limit: 20,
    });
  });

  it('parses every filter', () => {
    const cursor = { after: { startsAtMillis: 5, id: 'abc' }, filtersDigest: 'd' };
    expect(
      searchEventsQuerySchema.parse({
        q: 'Jazz fest',
        from: '2031-01-01T00:00:00+01:00',
        to: '2031-02-01T00:00:00Z',
        lat: '48.1',
        lng: '-11.5',
        radiusKm: '2.5',
        onlyAvailable: 'true',
        limit: '50',
        cursor: encodeCursor(cursor),
      }),
    ).toEqual({
      filters: {
        text: { exactWords: ['jazz'], prefix: 'fest' },
        from: new Date('2030-12-31T23:00:00Z'),
        to: new Date('2031-02-01T00:00:00Z'),
        near: { center: { lat: 48.1, lng: -11.5 }, radiusKm: 2.5 },
        onlyAvailable: true,
      },
      limit: 50,
      cursor,
    });
  });

  it('ignores a q without words', () => {
    expect(searchEventsQuerySchema.parse({ q: ' ,. ' }).filters.text).toBeUndefined();
  });

  it.each<[string[], Record<string, unknown>]>([
    [['limit'], { limit: '0' }],
    [['limit'], { limit: '51' }],
    [['limit'], { limit: '2.5' }],
    [['lat'], { lat: 'north', lng: '1', radiusKm: '1' }],
    [['radiusKm'], { lat: '1', lng: '1', radiusKm: '0' }],
    [['radiusKm'], { lat: '1', lng: '1', radiusKm: '501' }],
    [['lng', 'radiusKm'], { lat: '1' }],
    [['from'], { from: 'yesterday' }],
    [['to'], { from: '2031-01-02T00:00:00Z', to: '2031-01-01T00:00:00Z' }],
    [['onlyAvailable'], { onlyAvailable: 'yes' }],
    [['cursor'], { cursor: 'bogus' }],
    [['q'], { q: ['a', 'b'] }],
    [['sort'], { sort: 'price' }],
  ])('names %j when invalid', (paths, query) => {
    expect(pathsOf(searchEventsQuerySchema, query)).toEqual(paths);
  });
});
