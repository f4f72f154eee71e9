import { deleteApp, initializeApp } from 'firebase-admin/app';
import { getAuth, type Auth } from 'firebase-admin/auth';
import { getFirestore } from 'firebase-admin/firestore';
import { refreshIdToken, signUp } from '../local/auth/rest-client';
import { startLocalCloud } from '../local/cloud';
import { settleWithConcurrency } from '../shared/async/bounded-concurrency';
import { FirestoreInventoryStore } from '../shared/inventory/firestore-inventory-store';
import { storeEventOnSale, type OnSaleShape } from '../test/support/events-on-sale';
import { percentile, storedSale } from './flash-sale-run';

/**
 * The HTTP configuration of `npm run bench:flash`: the same kind of sale, but every booking is a `POST
 * /book` with an ID token to the local cloud's functions server (functions-framework, token check, rate
 * limits, validation, problem answers), as `npm start` serves it: one function instance, the in-process
 * Firestore emulator with the same commit latency. Smaller than the in-process sale, since one instance
 * on a shared machine is the bottleneck; it measures what the HTTP path costs and that it sells exactly.
 */

const SHAPE: OnSaleShape = {
  totalTickets: 200,
  surgeThreshold: 100,
  basePrice: 5_000,
  surgePrice: 8_000,
  maxTicketsPerBooking: 4,
};
const BUYERS = 300;
const IN_FLIGHT = 40;

/** What the HTTP sale measured, in the words `describe` of flash-sale.ts prints. */
export interface HttpSaleReport {
  readonly lines: readonly string[];
  readonly failed: boolean;
}

/** The values of settled outcomes, or the first failure thrown. */
function fulfilled<R>(outcomes: readonly PromiseSettledResult<R>[]): R[] {
  return outcomes.map((outcome) => {
    if (outcome.status === 'rejected') throw outcome.reason;
    return outcome.value;
  });
}

async function userToken(authAddress: string, auth: Auth, index: number): Promise<string> {
  const session = await signUp(
    authAddress,
    `flash-${index}-${Date.now()}@example.com`,
    'flash-sale-password',
  );
  await auth.setCustomUserClaims(session.uid, { role: 'user' });
  return (await refreshIdToken(authAddress, session.refreshToken)).idToken;
}

/** Starts a local cloud, sells one event over HTTP to {@link BUYERS} users, checks the result, stops. */
export async function runHttpSale(commitLatencyMs: number): Promise<HttpSaleReport> {
  const cloud = await startLocalCloud({
    ports: { functions: 0, firestore: 0, auth: 0 },
    firestoreCommitLatencyMs: commitLatencyMs,
  });
  // The Admin SDK finds the emulators through the environment; the in-process sales' values come back after.
  const previous = { ...process.env };
  Object.assign(process.env, cloud.env);
  const app = initializeApp({ projectId: cloud.projectId }, 'flash-sale-http');
  try {
    const db = getFirestore(app);
    const eventId = await storeEventOnSale(db, new FirestoreInventoryStore(db), SHAPE);
    const buyers = Array.from({ length: BUYERS }, (_, index) => index);
    const tokens = fulfilled(
      await settleWithConcurrency(buyers, 10, (index) => userToken(cloud.authAddress, getAuth(app), index)),
    );
    const outcomes: Record<string, number> = {};
    const latencies: number[] = [];
    let lastBookedAt = 0;
    const started = performance.now();
    const attempts = settleWithConcurrency(buyers, IN_FLIGHT, async (index) => {
      const sent = performance.now();
      const response = await fetch(`${cloud.functionsUrl}/book`, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${tokens[index] ?? ''}`,
          'Content-Type': 'application/json',
          // Each buyer is a phone of its own, as the per-address rate limit sees production traffic.
          'X-Forwarded-For': `10.${Math.floor(index / 250)}.${index % 250}.1`,
        },
        body: JSON.stringify({ eventId, quantity: 1 + (index % SHAPE.maxTicketsPerBooking) }),
      });
      const body = (await response.json()) as { type?: string };
      const answered = performance.now();
      latencies.push(answered - sent);
      const outcome =
        response.status === 409 ? (body.type?.split('/').pop() ?? '409') : String(response.status);
      outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
      if (response.status === 201) lastBookedAt = answered;
    });
    fulfilled(await attempts);
    const booked = outcomes['201'] ?? 0;
    const seconds = (lastBookedAt - started) / 1000;
    const sorted = [...latencies].sort((a, b) => a - b);
    const sale = await storedSale(db, eventId, SHAPE.totalTickets);
    const baseTickets = sale.unitPrices.filter((price) => price === SHAPE.basePrice).length;
    const wrong = [
      ...(sale.oversold > 0 ? [`${sale.oversold} OVERSOLD`] : []),
      ...(sale.shardsOutOfBalance.length > 0
        ? [`SHARDS OUT OF BALANCE: ${sale.shardsOutOfBalance.join(', ')}`]
        : []),
      ...(baseTickets !== Math.min(sale.unitPrices.length, SHAPE.surgeThreshold)
        ? [`${baseTickets} AT BASE`]
        : []),
      ...Object.keys(outcomes)
        .filter((outcome) => !['201', 'sold-out'].includes(outcome))
        .map((outcome) => `${outcomes[outcome]} answered ${outcome}`),
    ];
    return {
      lines: [
        `over HTTP (functions-framework, ID tokens, rate limits; one instance): ${SHAPE.totalTickets} tickets ` +
          `(${SHAPE.surgeThreshold} at base), ${BUYERS} buyers of 1-${SHAPE.maxTicketsPerBooking}, ${IN_FLIGHT} in flight`,
        `  ${(booked / seconds).toFixed(1)} bookings/s | sold out in ${seconds.toFixed(1)} s | ` +
          `p50/p95/p99 ${percentile(sorted, 50).toFixed(0)}/${percentile(sorted, 95).toFixed(0)}/${percentile(sorted, 99).toFixed(0)} ms | ` +
          `${Object.entries(outcomes)
            .map(([outcome, count]) => `${count} ${outcome}`)
            .join(', ')} | tickets ${sale.unitPrices.length} (${baseTickets} at base) | ` +
          (wrong.length === 0 ? 'shards balance, nothing else answered' : wrong.join('; ')),
      ],
      failed: wrong.length > 0,
    };
  } finally {
    await deleteApp(app);
    await cloud.stop();
    process.env = previous;
  }
}
