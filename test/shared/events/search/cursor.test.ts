import { decodeCursor, encodeCursor, filtersDigest } from '../../../../shared/events/search/cursor';
import type { SearchFilters } from '../../../../shared/events/search/search-filters';

const filters: SearchFilters = {
  text: { exactWords: ['jazz', 'blues'], prefix: 'fest' },
  from: new Date('2030-01-01T00:00:00Z'),
  near: { center: { lat: 48.1, lng: 11.5 }, radiusKm: 25 },
  onlyAvailable: true,
};

describe('search cursor', () => {
  it('round-trips through its opaque text form', () => {
    const cursor = { after: { startsAtMillis: 1_893_456_000_000, id: 'abcDEF123' }, filtersDigest: 'xyz_-9' };
    const text = encodeCursor(cursor);
    expect(text).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(text)).toEqual(cursor);
  });

  it.each([
    ['not base64url', '!!!'],
    ['not JSON', Buffer.from('hello').toString('base64url')],
    ['another shape', Buffer.from(JSON.stringify({ v: 1, t: 1 })).toString('base64url')],
    ['an unknown version', Buffer.from(JSON.stringify({ v: 2, t: 1, i: 'a', f: 'b' })).toString('base64url')],
    [
      'an id that is no event id',
      Buffer.from(JSON.stringify({ v: 1, t: 1, i: 'a/b', f: 'b' })).toString('base64url'),
    ],
    [
      'a time Firestore cannot hold',
      Buffer.from(JSON.stringify({ v: 1, t: 1e20, i: 'a', f: 'b' })).toString('base64url'),
    ],
  ])('rejects %s', (_, text) => {
    expect(decodeCursor(text)).toBeUndefined();
  });
});

describe('filtersDigest', () => {
  it('is the same for the same filters written differently', () => {
    const reordered: SearchFilters = {
      ...filters,
      text: { exactWords: ['blues', 'jazz'], prefix: 'fest' },
      from: new Date('2030-01-01T01:00:00+01:00'),
    };
    expect(filtersDigest(reordered)).toBe(filtersDigest(filters));
  });

  it.each<[string, SearchFilters]>([
    ['words', { ...filters, text: { exactWords: ['jazz'], prefix: 'fest' } }],
    ['from', { ...filters, from: undefined }],
    ['to', { ...filters, to: new Date('2031-01-01T00:00:00Z') }],
    ['radius', { ...filters, near: { center: { lat: 48.1, lng: 11.5 }, radiusKm: 26 } }],
    ['availability', { ...filters, onlyAvailable: false }],
  ])('changes with the %s', (_, other) => {
    expect(filtersDigest(other)).not.toBe(filtersDigest(filters));
  });
});
