import { distanceBetween } from 'geofire-common';
import { createSignedInUser } from '../support/auth-users';
import {
  createEventAs,
  holdTickets,
  moveStartToPast,
  uniqueWord,
  type CreateEventBody,
  type EventJson,
} from '../support/events';
import { destination, randomCentre, type Point } from '../support/geo-points';
import type { operations } from '@event-manager/client';
import { apiClient, expectData } from '../support/api-client';
import { callFunction } from '../support/http-client';
import type { ProblemJson } from './booking-fixtures';
import { createCompanyAdmin, type CompanyAdmin } from '../support/roles';

type SearchQuery = NonNullable<operations['searchEvents']['parameters']['query']>;

/** A search by parameter name; numbers and booleans are written into the URL as text. */
type Query = { [name in keyof SearchQuery]?: string | number | boolean };

/** A query that breaks the schema, sent raw. */
type RawQuery = Record<string, string | number | boolean | undefined>;

interface SearchPage {
  events: EventJson[];
  nextCursor: string | null;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;

let admin: CompanyAdmin;
let token: string;

beforeAll(async () => {
  admin = await createCompanyAdmin();
  // Searching is open to every signed-in caller, registered or not.
  token = (await createSignedInUser()).idToken;
});

async function search(query: Query): Promise<SearchPage> {
  const text = Object.entries(query).flatMap(([name, value]) =>
    value === undefined ? [] : [[name, String(value)]],
  );
  // The keys are those of SearchQuery; its values are the texts the URL carries.
  const parameters = Object.fromEntries(text) as SearchQuery;
  return expectData(await apiClient(token).GET('/searchEvents', { params: { query: parameters } }), 200);
}

/** Follows `nextCursor` to the end; returns every page. */
async function searchAllPages(query: Query): Promise<SearchPage[]> {
  const pages: SearchPage[] = [];
  let cursor: string | undefined;
  do {
    const page = await search({ ...query, cursor });
    pages.push(page);
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined && pages.length < 100);
  return pages;
}

async function idsFound(query: Query): Promise<string[]> {
  return (await searchAllPages(query)).flatMap((page) => page.events.map((event) => event.id));
}

function byStart(a: EventJson, b: EventJson): number {
  return a.startsAt === b.startsAt ? (a.id < b.id ? -1 : 1) : Date.parse(a.startsAt) - Date.parse(b.startsAt);
}

/** A start time in its own far-future hour, so date-range tests do not see each other's events. */
function uniqueBase(): number {
  return (
    Date.now() + (400 + Math.floor(Math.random() * 1000)) * DAY_MS + Math.floor(Math.random() * 24) * HOUR_MS
  );
}

async function createAll(overrides: Partial<CreateEventBody>[]): Promise<EventJson[]> {
  const created: EventJson[] = [];
  for (let start = 0; start < overrides.length; start += 10) {
    created.push(
      ...(await Promise.all(overrides.slice(start, start + 10).map((o) => createEventAs(admin, o)))),
    );
  }
  return created;
}

describe('GET /searchEvents', () => {
  it('matches every word, ignoring case and accents, the last word as a prefix', async () => {
    const word = uniqueWord();
    const base = uniqueBase();
    const [cafe, hall, described] = await createAll([
      { name: `Café Müller ${word}`, startsAt: new Date(base).toISOString() },
      { name: `Jazz ${word}`, venue: 'Olympiahalle', startsAt: new Date(base + HOUR_MS).toISOString() },
      {
        name: `Lesung ${word}`,
        description: 'Ein Abend über Élan',
        startsAt: new Date(base + 2 * HOUR_MS).toISOString(),
      },
    ]);

    expect(await idsFound({ q: `cafe MULLER ${word}` })).toEqual([cafe?.id]);
    expect(await idsFound({ q: `${word.toUpperCase()} caf` })).toEqual([cafe?.id]);
    expect(await idsFound({ q: `${word} olympia` })).toEqual([hall?.id]);
    expect(await idsFound({ q: `ÉLAN ${word}` })).toEqual([described?.id]);
    expect(await idsFound({ q: word })).toEqual([cafe?.id, hall?.id, described?.id]);
    expect(await idsFound({ q: word.slice(0, -2) })).toEqual([cafe?.id, hall?.id, described?.id]);
    expect(await idsFound({ q: `${word} rock` })).toEqual([]);
    expect(await idsFound({ q: `caf ${word}` })).toEqual([]);
  });

  it('filters on a startsAt range, from inclusive and to exclusive', async () => {
    const word = uniqueWord();
    const base = uniqueBase();
    const [first, second, third] = await createAll(
      [0, 1, 2].map((day) => ({
        name: `Concert ${word}`,
        startsAt: new Date(base + day * DAY_MS).toISOString(),
      })),
    );
    const at = (day: number) => new Date(base + day * DAY_MS).toISOString().replace('Z', '+00:00');

    expect(await idsFound({ q: word, from: at(1), to: at(2) })).toEqual([second?.id]);
    expect(await idsFound({ q: word, from: at(0), to: at(2) })).toEqual([first?.id, second?.id]);
    expect(await idsFound({ q: word, from: at(0.5) })).toEqual([second?.id, third?.id]);
    expect(await idsFound({ q: word, to: at(1) })).toEqual([first?.id]);
  });

  it('lists only future events unless from says otherwise', async () => {
    const word = uniqueWord();
    const [past, future] = await createAll([{ name: `Past ${word}` }, { name: `Future ${word}` }]);
    const startedAt = new Date(Date.now() - DAY_MS);
    await moveStartToPast(past?.id ?? '', startedAt);

    expect(await idsFound({ q: word })).toEqual([future?.id]);
    expect(await idsFound({ q: word, from: new Date(startedAt.getTime() - HOUR_MS).toISOString() })).toEqual([
      past?.id,
      future?.id,
    ]);
  });

  it('finds events within a radius by great-circle distance', async () => {
    const centre = randomCentre();
    const base = uniqueBase();
    const [atCentre, near, far] = await createAll(
      [0, 5, 15].map((km, index) => ({
        location: destination(centre, 90 * index, km),
        startsAt: new Date(base + index * HOUR_MS).toISOString(),
      })),
    );
    const around = { lat: centre.lat, lng: centre.lng };

    expect(await idsFound({ ...around, radiusKm: 10 })).toEqual([atCentre?.id, near?.id]);
    expect(await idsFound({ ...around, radiusKm: 20 })).toEqual([atCentre?.id, near?.id, far?.id]);
    expect(await idsFound({ ...around, radiusKm: 1 })).toEqual([atCentre?.id]);
  });

  it('hides sold-out events when onlyAvailable=true', async () => {
    const word = uniqueWord();
    const base = uniqueBase();
    const [soldOut, open] = await createAll([
      { name: `Tiny ${word}`, totalTickets: 2, surgeThreshold: 1, startsAt: new Date(base).toISOString() },
      { name: `Big ${word}`, startsAt: new Date(base + HOUR_MS).toISOString() },
    ]);
    await holdTickets(soldOut?.id ?? '', 2);

    expect(await idsFound({ q: word, onlyAvailable: true })).toEqual([open?.id]);
    const all = (await searchAllPages({ q: word, onlyAvailable: false })).flatMap((page) => page.events);
    expect(all.map((event) => [event.id, event.availableTickets, event.currentPrice])).toEqual([
      [soldOut?.id, 0, soldOut?.surgePrice],
      [open?.id, 100, open?.basePrice],
    ]);
  });

  it('pages with limit (default 20) and ends with a null cursor', async () => {
    const word = uniqueWord();
    const base = uniqueBase();
    const created = await createAll(
      Array.from({ length: 23 }, (_, index) => ({
        name: `Gig ${word}`,
        startsAt: new Date(base + index * HOUR_MS).toISOString(),
      })),
    );

    const first = await search({ q: word });
    expect(first.events).toHaveLength(20);
    const second = await search({ q: word, cursor: first.nextCursor ?? undefined, limit: 50 });
    expect(second.nextCursor).toBeNull();
    expect([...first.events, ...second.events].map((event) => event.id)).toEqual(
      created.map((event) => event.id),
    );
    expect((await search({ q: word, limit: 1 })).events).toEqual([created[0]]);
  });

  it('visits every match exactly once in startsAt order over many pages of combined geo and date filters', async () => {
    const centre: Point = randomCentre();
    const radiusKm = 20;
    const base = uniqueBase();
    const from = base + HOUR_MS;
    const to = base + 30 * HOUR_MS;
    const specs = Array.from({ length: 80 }, (_, index) => {
      // Three of every four within the radius, spread over several geohash cells; the rest just outside.
      const distance =
        index % 4 === 3 ? radiusKm * (1.1 + Math.random() * 0.3) : radiusKm * Math.random() * 0.9;
      // Hours repeat so that many events share a start time; a few fall outside the date window.
      const hour = index % 10 === 9 ? 40 : 1 + (index % 12);
      return {
        name: `Paging ${index}`,
        location: destination(centre, Math.random() * 360, distance),
        startsAt: new Date(base + hour * HOUR_MS).toISOString(),
      };
    });
    const created = await createAll(specs);
    const expected = created
      .filter(
        (event) =>
          distanceBetween([event.location.lat, event.location.lng], [centre.lat, centre.lng]) <= radiusKm,
      )
      .filter((event) => Date.parse(event.startsAt) >= from && Date.parse(event.startsAt) < to)
      .sort(byStart)
      .map((event) => event.id);

    const pages = await searchAllPages({
      lat: centre.lat,
      lng: centre.lng,
      radiusKm,
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      limit: 12,
    });

    expect(expected.length).toBeGreaterThan(36);
    expect(pages.length).toBeGreaterThan(3);
    expect(pages.flatMap((page) => page.events.map((event) => event.id))).toEqual(expected);
    // Eighty events are created over HTTP first; give a busy machine time for that.
  }, 90_000);

  it.each<[string, RawQuery, string[]]>([
    ['limit 0', { limit: 0 }, ['limit']],
    ['limit 51', { limit: 51 }, ['limit']],
    ['a limit that is no number', { limit: 'ten' }, ['limit']],
    ['lat without lng and radiusKm', { lat: 10 }, ['lng', 'radiusKm']],
    ['a radius of 0', { lat: 10, lng: 10, radiusKm: 0 }, ['radiusKm']],
    ['a radius over 500 km', { lat: 10, lng: 10, radiusKm: 501 }, ['radiusKm']],
    ['a latitude out of range', { lat: 91, lng: 10, radiusKm: 5 }, ['lat']],
    ['a from without offset', { from: '2031-01-01T00:00:00' }, ['from']],
    ['a to before from', { from: '2031-01-02T00:00:00Z', to: '2031-01-01T00:00:00Z' }, ['to']],
    ['onlyAvailable other than true/false', { onlyAvailable: 'yes' }, ['onlyAvailable']],
    ['an unknown parameter', { sort: 'price' }, ['sort']],
    ['a cursor that is not one', { cursor: 'not-a-cursor' }, ['cursor']],
  ])('answers 400 to %s', async (_, query, paths) => {
    const response = await callFunction<ProblemJson>('searchEvents', { token, query });
    expect(response.status).toBe(400);
    expect(response.body.type).toBe('https://errors.event-manager.dev/validation');
    expect((response.body.errors ?? []).map((error) => error.path).sort()).toEqual(paths);
  });

  it('answers 400 to a cursor replayed with other filters', async () => {
    const word = uniqueWord();
    await createAll([{ name: `One ${word}` }, { name: `Two ${word}` }]);
    const first = await search({ q: word, limit: 1 });
    expect(first.nextCursor).not.toBeNull();

    const replayed = await apiClient(token).GET('/searchEvents', {
      params: { query: { q: `${word} two`, limit: '1', cursor: first.nextCursor ?? '' } },
    });
    expect(replayed.response.status).toBe(400);
    expect(replayed.error?.errors?.map((error) => error.path)).toEqual(['cursor']);
  });

  it('answers 401 without a token', async () => {
    expect((await apiClient().GET('/searchEvents')).response.status).toBe(401);
  });
});
