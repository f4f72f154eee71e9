import type { Firestore } from 'firebase-admin/firestore';
import { startFirestoreEmulator } from '../local/firestore/server';
import type { StoredEvent } from '../shared/events/event';
import { EventRepository } from '../shared/events/event-repository';
import { EventSearchService } from '../shared/events/search/search-service';
import type { SearchFilters } from '../shared/events/search/search-filters';
import { parseTextQuery } from '../shared/events/search/tokens';
import { firestore } from '../shared/firebase/firestore';
import { FirestoreInventoryStore } from '../shared/inventory/firestore-inventory-store';

/**
 * `npm run bench`: seeds 10,000 events into the in-process Firestore emulator and measures searches through
 * the search service (real SDK, no HTTP layer): latency and documents read per first page of each kind of
 * query, next to a plain `orderBy(startsAt).limit(20)` query measured in the same run.
 */

const EVENTS = 10_000;
const EVENTS_PER_TRANSACTION = 100;
const SEARCHES_PER_KIND = 30;
/** Each kind stops early after this long (but only after a few samples), so the run stays under 2 minutes. */
const KIND_TIME_BUDGET_MS = 6_000;
const MIN_SAMPLES_PER_KIND = 5;
const PAGE_SIZE = 20;
const DAY_MS = 24 * 60 * 60 * 1000;

const CITIES = [
  { name: 'Berlin', lat: 52.52, lng: 13.405 },
  { name: 'Munich', lat: 48.137, lng: 11.575 },
  { name: 'Paris', lat: 48.857, lng: 2.352 },
  { name: 'Madrid', lat: 40.417, lng: -3.704 },
  { name: 'Rome', lat: 41.903, lng: 12.496 },
  { name: 'Vienna', lat: 48.208, lng: 16.373 },
  { name: 'Amsterdam', lat: 52.368, lng: 4.904 },
  { name: 'Prague', lat: 50.075, lng: 14.437 },
  { name: 'Lisbon', lat: 38.722, lng: -9.139 },
  { name: 'Zürich', lat: 47.377, lng: 8.541 },
];
const GENRES = [
  'Jazz',
  'Rock',
  'Techno',
  'Klassik',
  'Opéra',
  'Comedy',
  'Theater',
  'Folk',
  'Metal',
  'Hip-Hop',
];
const KINDS = ['Festival', 'Night', 'Konzert', 'Session', 'Gala', 'Tour', 'Matinée', 'Party'];
const ADJECTIVES = ['Grand', 'Summer', 'Winter', 'Midnight', 'Open-Air', 'Acoustic', 'Electric', 'Late'];
const VENUES = ['Arena', 'Halle', 'Club', 'Théâtre', 'Kirche', 'Park', 'Stadium', 'Keller'];

/** A deterministic generator, so that every run seeds the same data. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

const random = seededRandom(42);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;

function benchEvent(events: EventRepository, now: Date): StoredEvent {
  const city = pick(CITIES);
  const totalTickets = 32 + Math.floor(random() * 32);
  return {
    id: events.newId(),
    status: 'scheduled',
    companyId: `bench-company-${Math.floor(random() * 50)}`,
    name: `${pick(ADJECTIVES)} ${pick(GENRES)} ${pick(KINDS)}`,
    description: `${pick(GENRES)} und ${pick(GENRES)} in ${city.name}.`,
    // Events spread over the next year; every search looks at the future only.
    startsAt: new Date(now.getTime() + Math.floor(random() * 365 * DAY_MS)),
    venue: `${city.name} ${pick(VENUES)}`,
    // Up to about 50 km around the city centre.
    location: { lat: city.lat + (random() - 0.5) * 0.9, lng: city.lng + (random() - 0.5) * 1.2 },
    totalTickets,
    currency: 'EUR',
    basePrice: 2_000,
    surgePrice: 3_000,
    surgeThreshold: Math.ceil(totalTickets / 2),
    holdMinutes: 15,
    maxTicketsPerBooking: 10,
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
}

async function seed(
  db: Firestore,
  events: EventRepository,
  inventory: FirestoreInventoryStore,
): Promise<void> {
  const now = new Date();
  const transactions: Promise<void>[] = [];
  for (let start = 0; start < EVENTS; start += EVENTS_PER_TRANSACTION) {
    const batch = Array.from({ length: EVENTS_PER_TRANSACTION }, () => benchEvent(events, now));
    transactions.push(
      db.runTransaction(async (tx) => {
        for (const event of batch) {
          events.create(tx, event);
          inventory.initialise(tx, event.id, event);
        }
      }),
    );
    // A few transactions in flight keep the emulator busy without queueing everything at once.
    if (transactions.length >= 4) await Promise.all(transactions.splice(0));
  }
  await Promise.all(transactions);
}

interface Sample {
  readonly latencyMs: number;
  readonly documentsRead: number;
  readonly lookups: number;
  readonly results: number;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
}

function report(label: string, samples: readonly Sample[]): void {
  const stat = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    return `${percentile(sorted, 50).toFixed(1).padStart(7)} ${percentile(sorted, 95).toFixed(1).padStart(7)}`;
  };
  const mean = (values: number[]) =>
    (values.reduce((sum, value) => sum + value, 0) / values.length).toFixed(1);
  console.log(
    `${label.padEnd(34)} ${stat(samples.map((s) => s.latencyMs))}   ${stat(samples.map((s) => s.documentsRead))}` +
      `   ${mean(samples.map((s) => s.lookups)).padStart(6)}   ${mean(samples.map((s) => s.results)).padStart(6)}` +
      `   ${String(samples.length).padStart(4)}`,
  );
}

async function measure(run: () => Promise<Omit<Sample, 'latencyMs'>>): Promise<Sample[]> {
  const samples: Sample[] = [];
  const kindStartedAt = performance.now();
  for (let index = 0; index < SEARCHES_PER_KIND; index++) {
    if (index >= MIN_SAMPLES_PER_KIND && performance.now() - kindStartedAt > KIND_TIME_BUDGET_MS) break;
    const startedAt = performance.now();
    const outcome = await run();
    samples.push({ ...outcome, latencyMs: performance.now() - startedAt });
  }
  return samples;
}

function filters(partial: Partial<SearchFilters>): SearchFilters {
  return { onlyAvailable: false, ...partial };
}

function textQuery(q: string): SearchFilters['text'] {
  return parseTextQuery(q);
}

async function main(): Promise<void> {
  const benchStartedAt = performance.now();
  const emulator = await startFirestoreEmulator({});
  // Read by shared/config on first use; the bench process plays the function.
  process.env.FIRESTORE_EMULATOR_HOST = emulator.address;
  process.env.GCLOUD_PROJECT = 'demo-search-bench';
  process.env.LOG_LEVEL ??= 'error';
  const db = firestore();
  const events = new EventRepository(db);
  const inventory = new FirestoreInventoryStore(db);
  const search = new EventSearchService(events, inventory);

  const seedStartedAt = performance.now();
  await seed(db, events, inventory);
  console.log(
    `Seeded ${EVENTS} events in ${((performance.now() - seedStartedAt) / 1000).toFixed(1)} s ` +
      `(10 cities, one year of dates). ${SEARCHES_PER_KIND} first pages of ${PAGE_SIZE} per kind (fewer if slow), sequential, ` +
      'through EventSearchService and firebase-admin against the in-process Firestore emulator.\n',
  );
  console.log(
    `${'query'.padEnd(34)} ${'latency ms'.padStart(15)}   ${'docs read'.padStart(15)}   avail.   events   runs`,
  );
  console.log(
    `${''.padEnd(34)} ${'p50'.padStart(7)} ${'p95'.padStart(7)}   ${'p50'.padStart(7)} ${'p95'.padStart(7)}   lookups  /page`,
  );

  const plain = await measure(async () => {
    const snapshot = await db
      .collection('events')
      .where('startsAt', '>=', new Date())
      .orderBy('startsAt')
      .limit(PAGE_SIZE)
      .get();
    return { documentsRead: Math.max(snapshot.size, 1), lookups: 0, results: snapshot.size };
  });
  report('plain orderBy(startsAt).limit(20)', plain);

  const kinds: [string, () => SearchFilters][] = [
    ['search, no filter', () => filters({})],
    ['text: one word', () => filters({ text: textQuery(pick(GENRES)) })],
    ['text: word + prefix', () => filters({ text: textQuery(`${pick(GENRES)} ${pick(KINDS).slice(0, 3)}`) })],
    [
      'date: 14-day window',
      () => {
        const from = Date.now() + Math.floor(random() * 300) * DAY_MS;
        return filters({ from: new Date(from), to: new Date(from + 14 * DAY_MS) });
      },
    ],
    ['geo: 10 km around a city', () => filters({ near: { center: pick(CITIES), radiusKm: 10 } })],
    ['geo: 50 km around a city', () => filters({ near: { center: pick(CITIES), radiusKm: 50 } })],
    [
      'geo 25 km + text + date',
      () => {
        const from = Date.now() + Math.floor(random() * 200) * DAY_MS;
        return filters({
          near: { center: pick(CITIES), radiusKm: 25 },
          text: textQuery(pick(GENRES)),
          from: new Date(from),
          to: new Date(from + 90 * DAY_MS),
        });
      },
    ],
    [
      'geo 25 km, onlyAvailable',
      () => filters({ near: { center: pick(CITIES), radiusKm: 25 }, onlyAvailable: true }),
    ],
  ];
  for (const [label, next] of kinds) {
    const samples = await measure(async () => {
      const outcome = await search.search({ filters: next(), limit: PAGE_SIZE });
      return {
        documentsRead: outcome.documentsRead,
        lookups: outcome.availabilityLookups,
        results: outcome.events.length,
      };
    });
    report(label, samples);
  }
  console.log(`\nTotal run time ${((performance.now() - benchStartedAt) / 1000).toFixed(1)} s.`);
  await db.terminate();
  await emulator.stop();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
