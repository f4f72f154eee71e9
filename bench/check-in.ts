import { randomBytes, randomUUID } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { initializeApp } from 'firebase-admin/app';
import { getAuth } from 'firebase-admin/auth';
import { getFirestore, Timestamp, type Firestore } from 'firebase-admin/firestore';
import { startLocalCloud } from '../local/cloud';
import type { Booking } from '../shared/bookings/booking';
import { BookingRepository } from '../shared/bookings/booking-repository';
import { settleWithConcurrency } from '../shared/async/bounded-concurrency';
import { TicketRepository } from '../shared/tickets/ticket-repository';
import { createSignedInUser } from '../test/support/auth-users';
import { FIRESTORE_COMMIT_LATENCY_MS, percentile } from './flash-sale-run';

/**
 * `npm run bench:checkin`: event day at a venue. 5,000 tickets of one event are checked in through the
 * `checkIn` function of the local cloud (HTTP, ID token checks and all) by 20 simulated doors scanning at
 * once, each ticket once plus 10% repeat scans of tickets chosen at random, in random order; the Firestore
 * emulator commits with the latency bench:flash uses. A warm-up event is checked in first, untimed, so
 * that the functions process runs optimised code as a busy production instance does. Prints scans/s, the
 * latency of a scan and the duplicates admitted (a ticket answered 200 more than once: must be 0).
 */

const TICKETS = 5_000;
const WARM_UP_TICKETS = 500;
const DOORS = 20;
const REPEAT_SHARE = 0.1;
const TICKETS_PER_BOOKING = 10;
const TARGET_SCANS_PER_SECOND = 150;

interface Scan {
  readonly ticketId: string;
  readonly code: string;
}

interface ScanResult {
  readonly ticketId: string;
  readonly status: number;
  readonly latencyMs: number;
}

function machineLoad(): string {
  return `load average ${loadavg()[0]?.toFixed(1)} on ${cpus().length} CPUs`;
}

function shuffled<T>(items: readonly T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i -= 1) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

/** Stores an event's confirmed bookings and their tickets' door records as `issueTickets` leaves them. */
async function seedTickets(db: Firestore, companyId: string, holderId: string, count: number) {
  const eventId = db.collection('events').doc().id;
  const bookings = new BookingRepository(db);
  const records = new TicketRepository(db);
  const now = new Date();
  const tickets: Scan[] = [];
  const batches = Array.from({ length: Math.ceil(count / TICKETS_PER_BOOKING) }, (_, index) => index);
  await settleWithConcurrency(batches, 20, async (index) => {
    const quantity = Math.min(TICKETS_PER_BOOKING, count - index * TICKETS_PER_BOOKING);
    const issued = Array.from({ length: quantity }, () => ({
      id: bookings.newId(),
      code: randomBytes(16).toString('base64url'),
    }));
    const booking: Booking = {
      id: bookings.newId(),
      eventId,
      userId: holderId,
      companyId,
      quantity,
      status: 'confirmed',
      unitPrices: issued.map(() => 2_500),
      total: quantity * 2_500,
      currency: 'EUR',
      allocation: [{ shardId: 'base-0', pool: 'base', quantity }],
      expiresAt: now,
      createdAt: now,
      updatedAt: now,
      tickets: issued,
    };
    await db.runTransaction(async (tx) => {
      bookings.create(tx, booking);
      records.createAll(tx, booking, issued);
    });
    tickets.push(...issued.map((ticket) => ({ ticketId: ticket.id, code: ticket.code })));
  }).then((settled) => {
    const failure = settled.find((result) => result.status === 'rejected');
    if (failure !== undefined) throw failure.reason;
  });
  return { eventId, tickets };
}

/** Every ticket once plus repeats of random ones, shuffled, scanned by `DOORS` doors pulling from one line. */
async function checkInAll(functionsUrl: string, idToken: string, eventId: string, tickets: readonly Scan[]) {
  const repeats = Array.from(
    { length: Math.round(tickets.length * REPEAT_SHARE) },
    () => tickets[Math.floor(Math.random() * tickets.length)] as Scan,
  );
  const scans = shuffled([...tickets, ...repeats]);
  const started = performance.now();
  const settled = await settleWithConcurrency(scans, DOORS, async (scan): Promise<ScanResult> => {
    const sent = performance.now();
    const response = await fetch(`${functionsUrl}/checkIn`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${idToken}` },
      body: JSON.stringify({ eventId, code: scan.code }),
    });
    await response.arrayBuffer();
    return { ticketId: scan.ticketId, status: response.status, latencyMs: performance.now() - sent };
  });
  const elapsedMs = performance.now() - started;
  const results = settled.map((result) => {
    if (result.status === 'rejected') throw result.reason;
    return result.value;
  });
  return { results, elapsedMs };
}

function report(results: readonly ScanResult[], elapsedMs: number, tickets: number) {
  const admittedPerTicket = new Map<string, number>();
  const statuses = new Map<number, number>();
  for (const result of results) {
    statuses.set(result.status, (statuses.get(result.status) ?? 0) + 1);
    if (result.status === 200)
      admittedPerTicket.set(result.ticketId, (admittedPerTicket.get(result.ticketId) ?? 0) + 1);
  }
  const duplicates = [...admittedPerTicket.values()].reduce((sum, admitted) => sum + admitted - 1, 0);
  const latencies = results.map((result) => result.latencyMs).sort((a, b) => a - b);
  return {
    scansPerSecond: results.length / (elapsedMs / 1000),
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    duplicates,
    neverAdmitted: tickets - admittedPerTicket.size,
    statuses: Object.fromEntries([...statuses].sort(([a], [b]) => a - b)),
  };
}

async function main(): Promise<void> {
  const cloud = await startLocalCloud({
    ports: { functions: 0, firestore: 0, auth: 0 },
    firestoreCommitLatencyMs: FIRESTORE_COMMIT_LATENCY_MS,
  });
  try {
    Object.assign(process.env, cloud.env, {
      FUNCTIONS_URL: cloud.functionsUrl,
      FCM_STAND_IN_URL: cloud.fcmUrl,
    });
    const app = initializeApp({ projectId: cloud.projectId }, 'bench-check-in');
    const db = getFirestore(app);
    const companyId = randomUUID();
    const door = await createSignedInUser();
    await getAuth(app).setCustomUserClaims(door.uid, { role: 'admin', companyId });
    const holder = randomUUID();
    await Promise.all(
      [
        { id: door.uid, role: 'admin', companyId },
        { id: holder, role: 'user', companyId: null },
      ].map(({ id, role, companyId: company }) =>
        db
          .collection('users')
          .doc(id)
          .set({
            name: `bench ${role}`,
            username: `bench_${id.slice(0, 12)}`,
            email: null,
            countryCode: 'DE',
            phoneNumber: '+49 30 1234567',
            role,
            companyId: company,
            createdAt: Timestamp.now(),
            claimsApplied: true,
          }),
      ),
    );
    const idToken = await door.refresh();
    console.log(
      [
        `Check-in: ${TICKETS} tickets of one event (+${REPEAT_SHARE * 100}% repeat scans, random order) through`,
        `POST /checkIn of the local cloud by ${DOORS} doors at once; Firestore commit latency ${FIRESTORE_COMMIT_LATENCY_MS} ms.`,
        `Machine at start: ${machineLoad()}.`,
      ].join('\n'),
    );
    const warmUp = await seedTickets(db, companyId, holder, WARM_UP_TICKETS);
    const warm = await checkInAll(cloud.functionsUrl, idToken, warmUp.eventId, warmUp.tickets);
    const warmReport = report(warm.results, warm.elapsedMs, WARM_UP_TICKETS);
    console.log(
      `warm-up (${WARM_UP_TICKETS} tickets, untimed): ${warmReport.scansPerSecond.toFixed(0)} scans/s`,
    );

    const event = await seedTickets(db, companyId, holder, TICKETS);
    const measured = await checkInAll(cloud.functionsUrl, idToken, event.eventId, event.tickets);
    const result = report(measured.results, measured.elapsedMs, TICKETS);
    const stored = await new TicketRepository(db).checkedInCount(event.eventId);
    console.log(
      [
        `scans/s: ${result.scansPerSecond.toFixed(1)} (target ≥ ${TARGET_SCANS_PER_SECOND}); ${measured.results.length} scans in ${(measured.elapsedMs / 1000).toFixed(1)} s`,
        `latency ms: p50 ${result.p50.toFixed(0)}, p95 ${result.p95.toFixed(0)}, p99 ${result.p99.toFixed(0)}`,
        `answers: ${JSON.stringify(result.statuses)}`,
        `duplicates admitted: ${result.duplicates + warmReport.duplicates} (must be 0); tickets never admitted: ${result.neverAdmitted}; checked in as stored: ${stored}`,
        `Machine at end: ${machineLoad()}.`,
      ].join('\n'),
    );
    const failed =
      result.duplicates + warmReport.duplicates > 0 || result.neverAdmitted > 0 || stored !== TICKETS;
    process.exitCode = failed ? 1 : 0;
  } finally {
    await cloud.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
