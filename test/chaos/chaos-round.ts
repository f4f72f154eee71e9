import { setTimeout as sleep } from 'node:timers/promises';
import type { Auth } from 'firebase-admin/auth';
import type { Firestore } from 'firebase-admin/firestore';
import * as z from 'zod';
import type { CommitFault, InjectedCommitFaults } from '../../local/firestore/faults';
import type { DeliveryFaultSettingsInput, InjectedDeliveryFaults } from '../../local/pubsub/delivery-faults';
import { httpRequest } from '../../local/stripe/http-client';
import { confirmLikePaymentSheet } from '../../local/stripe/payment-sheet';
import { signUp, refreshIdToken } from '../../local/auth/rest-client';
import { BOOKINGS_COLLECTION, BookingRepository } from '../../shared/bookings/booking-repository';
import { settleWithConcurrency } from '../../shared/async/bounded-concurrency';
import { systemClock } from '../../shared/time/clock';
import { InventoryReconciliation } from '../../shared/bookings/inventory-reconciliation';
import { EventRepository } from '../../shared/events/event-repository';
import { FirestoreInventoryStore } from '../../shared/inventory/firestore-inventory-store';
import { SalesLedger } from '../../shared/sales/sales-ledger';
import { storeEventOnSale, type OnSaleShape } from '../support/events-on-sale';
import { callWithRetries, Dice, type CallOptions, type RetriedAnswer } from './chaos-client';

/** The local cloud a chaos round runs against. */
export interface ChaosCloud {
  readonly functionsUrl: string;
  readonly authAddress: string;
  readonly stripeUrl: string;
  /** Admin SDK clients on the same emulators, to arrange the event and read what the functions stored. */
  readonly db: Firestore;
  readonly auth: Auth;
  /** Whether this run is alone on the Stripe sandbox and may make it fail (its faults are global). */
  readonly stripeFaultsAllowed?: boolean;
  /** Replaces the Firestore emulator's commit faults of this run (`[]` removes them); answers their count. */
  setCommitFaults(faults: readonly CommitFault[]): Promise<InjectedCommitFaults>;
  /** Replaces the Pub/Sub emulator's delivery faults (`{}` removes them); answers their count. */
  setDeliveryFaults(faults: DeliveryFaultSettingsInput): Promise<InjectedDeliveryFaults>;
}

/** The size of one round. */
export interface ChaosShape {
  readonly sale: OnSaleShape;
  /** Concurrent buyers, one user each; their holds together must exceed the event to sell it out. */
  readonly clients: number;
  /** Each commit fails with this probability, split evenly over the five kinds of fault. */
  readonly faultRate: number;
  /**
   * Each commit is slowed by a latency spike of `delayMs` with probability `fraction`, half of them
   * holding their locks (before applying), half answering late (after applying).
   */
  readonly latencySpikes: { readonly fraction: number; readonly delayMs: number };
  /**
   * Each push delivery of the round's messages (those naming its event: payment-confirmed) is delayed
   * `delayMs` with probability `delayFraction`, and delivered again after its acknowledgement with
   * probability `duplicateFraction`.
   */
  readonly pubsub: {
    readonly duplicateFraction: number;
    readonly delayFraction: number;
    readonly delayMs: number;
  };
  /**
   * Only commits writing under the round's event fail (`events/<id>/`): for a test sharing the local
   * cloud with others. Otherwise every commit of the run may fail.
   */
  readonly faultsOnEventOnly: boolean;
  /**
   * The Stripe sandbox answers this fraction of API requests 500 (before or after applying), 429, or not
   * at all (a timeout, before or after applying). The sandbox is shared by everything on the local cloud,
   * so only a run alone on it may set this.
   */
  readonly stripeFaultRate: number;
  /** How long the round waits for webhooks, Pub/Sub and the sweeps to settle. */
  readonly settleMs: number;
}

/** A short round that fits into the jest run; `npm run test:chaos` uses a larger one. */
export const SHORT_ROUND: ChaosShape = {
  sale: {
    totalTickets: 24,
    surgeThreshold: 12,
    basePrice: 5_000,
    surgePrice: 8_000,
    maxTicketsPerBooking: 4,
  },
  clients: 8,
  faultRate: 0.15,
  latencySpikes: { fraction: 0.05, delayMs: 300 },
  pubsub: { duplicateFraction: 0.5, delayFraction: 0.5, delayMs: 300 },
  faultsOnEventOnly: true,
  stripeFaultRate: 0,
  settleMs: 20_000,
};

/** What a round counted and which invariants it found broken. */
export interface RoundReport {
  readonly eventId: string;
  readonly violations: string[];
  readonly stats: Record<string, number>;
}

const bookingDocument = z.object({
  userId: z.string(),
  quantity: z.number().int(),
  status: z.string(),
  unitPrices: z.array(z.number().int()),
});
type StoredBooking = z.infer<typeof bookingDocument> & { readonly id: string };

const bookingAnswer = z.object({
  booking: z.object({
    id: z.string(),
    quantity: z.number().int(),
    status: z.string(),
    tickets: z.array(z.object({ code: z.string() })).optional(),
  }),
});
const paymentAnswer = z.object({ payment: z.object({ clientSecret: z.string() }) });
const problemAnswer = z.object({ type: z.string() });

const LIVE = new Set(['held', 'confirmed', 'refund_pending']);
const EVER_SOLD = new Set(['confirmed', 'refund_pending', 'refunded']);
const FAULT_KINDS: readonly Pick<CommitFault, 'code' | 'when'>[] = [
  { code: 'UNAVAILABLE', when: 'before-apply' },
  { code: 'UNAVAILABLE', when: 'after-apply' },
  { code: 'DEADLINE_EXCEEDED', when: 'before-apply' },
  { code: 'DEADLINE_EXCEEDED', when: 'after-apply' },
  { code: 'ABORTED', when: 'before-apply' },
];
const JOURNEY_CONCURRENCY = 6;
/** Every answer the sandbox can fail with, timeouts included (docs/local-stripe-sandbox.md). */
const STRIPE_FAULT_ANSWERS = [
  { status: 500, when: 'before-apply' },
  { status: 500, when: 'after-apply' },
  { status: 429, when: 'before-apply' },
  { status: 'timeout', when: 'before-apply' },
  { status: 'timeout', when: 'after-apply' },
] as const;
/** Just beyond the payments feature's 4 s Stripe timeout, so its own timeout and retry are what run. */
const STRIPE_TIMEOUT_MS = 4_500;

interface Buyer {
  readonly uid: string;
  token: string;
  readonly refreshToken: string;
  readonly address: string;
}

/** A booking a client got back, and what the client then did with it. */
interface OwnedBooking {
  readonly id: string;
  readonly quantity: number;
  readonly buyer: Buyer;
  plan: 'pay' | 'pay-then-cancel' | 'cancel' | 'keep';
  /** What the booking must end as, once the journey ran. */
  expected?: 'confirmed' | 'refunded' | 'cancelled' | 'held';
}

class Round {
  readonly violations: string[] = [];
  readonly stats: Record<string, number> = {};
  readonly owned: OwnedBooking[] = [];
  /** Booking ids answered per Idempotency-Key. */
  readonly keyAnswers = new Map<string, Set<string>>();
  /** Requests that may have created a booking nobody was told about. */
  unansweredCreations = 0;

  constructor(
    readonly cloud: ChaosCloud,
    readonly shape: ChaosShape,
    readonly dice: Dice,
    readonly label: string,
    readonly eventId: string,
  ) {}

  count(name: string, by = 1): void {
    this.stats[name] = (this.stats[name] ?? 0) + by;
  }

  violation(text: string): void {
    this.violations.push(`${this.label}: ${text}`);
  }

  /**
   * Calls as `buyer`; on 401 refreshes the ID token once and calls again, as the Firebase client SDK does.
   * Firebase Tools' Auth emulator now and then refuses a just-issued token as revoked (seen about once in
   * a few hundred users), which is the emulator's, not the backend's.
   */
  async callAs(
    buyer: Buyer,
    path: string,
    options: Omit<CallOptions, 'token' | 'address'>,
  ): Promise<RetriedAnswer> {
    const first = await this.call(path, { ...options, token: buyer.token, address: buyer.address });
    if (first.last?.status !== 401) return first;
    this.count('401 on a fresh token, refreshed');
    buyer.token = (await refreshIdToken(this.cloud.authAddress, buyer.refreshToken)).idToken;
    return this.call(path, { ...options, token: buyer.token, address: buyer.address });
  }

  call(path: string, options: CallOptions): Promise<RetriedAnswer> {
    this.count('requests');
    return callWithRetries(`${this.cloud.functionsUrl}/${path}`, options, this.dice).then((answer) => {
      this.count('retries', answer.attempts - 1);
      return answer;
    });
  }
}

async function createBuyer(cloud: ChaosCloud, address: string): Promise<Buyer> {
  const session = await signUp(
    cloud.authAddress,
    `chaos-${crypto.randomUUID()}@example.com`,
    'chaos-password',
  );
  await cloud.auth.setCustomUserClaims(session.uid, { role: 'user' });
  const refreshed = await refreshIdToken(cloud.authAddress, session.refreshToken);
  return { uid: session.uid, token: refreshed.idToken, refreshToken: refreshed.refreshToken, address };
}

/** One buyer books until the event is sold out or their hold limit is reached. */
async function buy(round: Round, buyer: Buyer, client: number): Promise<void> {
  const max = round.shape.sale.maxTicketsPerBooking;
  let held = 0;
  let cap = max;
  for (let request = 0; held < max && cap > 0; request += 1) {
    const quantity = round.dice.int(1, Math.min(cap, max - held));
    const key = round.dice.chance(0.5) ? `chaos-${round.eventId}-c${client}-r${request}` : undefined;
    const options = {
      method: 'POST' as const,
      body: { eventId: round.eventId, quantity },
      ...(key === undefined ? {} : { idempotencyKey: key }),
    };
    const answer = await round.callAs(buyer, 'book', options);
    round.count('ambiguous book failures', answer.ambiguousFailures);
    // A keyed request that got its answer in the end created at most its one booking; a keyless one may
    // have created one per ambiguous failure, which the app never learns of (the holds lapse).
    if (key === undefined) round.unansweredCreations += answer.ambiguousFailures;
    const status = answer.last?.status;
    if (status === 201) {
      const { booking } = bookingAnswer.parse(answer.last?.body);
      round.owned.push({ id: booking.id, quantity, buyer, plan: 'keep' });
      held += quantity;
      round.count('booked');
      if (key !== undefined) {
        round.keyAnswers.set(key, new Set([booking.id]));
        // The app lost the answer and sends the same request again.
        if (round.dice.chance(0.3)) {
          const replay = await round.callAs(buyer, 'book', options);
          const again =
            replay.last?.status === 201 ? bookingAnswer.parse(replay.last.body).booking.id : undefined;
          if (again !== undefined) round.keyAnswers.get(key)?.add(again);
          else round.violation(`replay of key ${key} answered ${replay.last?.status ?? 'nothing'}`);
          round.count('replays');
        }
      }
      continue;
    }
    if (status === 409) {
      const { type } = problemAnswer.parse(answer.last?.body);
      if (type.endsWith('/sold-out')) {
        round.count('sold-out answers');
        cap = quantity - 1;
        continue;
      }
      // A keyless booking that landed but was answered 5xx holds some of this buyer's allowance.
      round.count(`409 ${type.split('/').pop() ?? type}`);
      return;
    }
    if (status === undefined || status >= 500 || status === 429) {
      round.count('book given up');
      if (key !== undefined) round.unansweredCreations += 1;
      return;
    }
    round.violation(`book answered ${status}: ${JSON.stringify(answer.last?.body)}`);
    return;
  }
}

async function storedBookings(round: Round): Promise<StoredBooking[]> {
  const snapshot = await round.cloud.db
    .collection(BOOKINGS_COLLECTION)
    .where('eventId', '==', round.eventId)
    .get();
  return snapshot.docs.map((doc) => ({ id: doc.id, ...bookingDocument.parse(doc.data()) }));
}

function ticketsAt(bookings: readonly StoredBooking[], price: number): number {
  return bookings.reduce((sum, booking) => sum + booking.unitPrices.filter((p) => p === price).length, 0);
}

/** No ticket oversold, and exactly min(sold, surgeThreshold) of the live tickets at base price. */
function checkSaleInvariants(round: Round, bookings: readonly StoredBooking[]): void {
  const { totalTickets, surgeThreshold, basePrice } = round.shape.sale;
  const live = bookings.filter((booking) => LIVE.has(booking.status));
  const sold = live.reduce((sum, booking) => sum + booking.quantity, 0);
  round.count('tickets sold in the sale', sold);
  if (sold > totalTickets) round.violation(`oversold: ${sold} tickets of ${totalTickets}`);
  const atBase = ticketsAt(live, basePrice);
  if (atBase !== Math.min(sold, surgeThreshold)) {
    round.violation(`${atBase} tickets at base price, expected min(${sold}, ${surgeThreshold})`);
  }
  const known = new Set(round.owned.map((booking) => booking.id));
  const unknown = bookings.filter((booking) => !known.has(booking.id)).length;
  round.count('bookings no client was told of', unknown);
  if (unknown > round.unansweredCreations) {
    round.violation(
      `${unknown} bookings no client was told of, but only ${round.unansweredCreations} requests went unanswered`,
    );
  }
  for (const [key, ids] of round.keyAnswers) {
    if (ids.size > 1) round.violation(`Idempotency-Key ${key} answered ${ids.size} bookings`);
  }
}

async function awaitStatus(round: Round, booking: OwnedBooking, wanted: (status: string) => boolean) {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const answer = await round.callAs(booking.buyer, `getBooking?id=${encodeURIComponent(booking.id)}`, {
      method: 'GET',
    });
    if (answer.last?.status === 200 && wanted(bookingAnswer.parse(answer.last.body).booking.status))
      return true;
    await sleep(100);
  }
  return false;
}

async function pay(round: Round, booking: OwnedBooking): Promise<boolean> {
  const { buyer } = booking;
  const answer = await round.callAs(buyer, 'pay', {
    method: 'POST',
    body: { bookingId: booking.id },
  });
  if (answer.last?.status !== 200) {
    round.count(`pay answered ${answer.last?.status ?? 'nothing'}`);
    return false;
  }
  const { payment } = paymentAnswer.parse(answer.last.body);
  let ambiguous = false;
  for (let attempt = 0; attempt < 6; attempt += 1) {
    const paid = await confirmLikePaymentSheet({
      sandboxUrl: round.cloud.stripeUrl,
      clientSecret: payment.clientSecret,
    }).catch((error: unknown) => {
      // A timeout fault drops the connection unanswered: the confirmation may have gone through.
      if (error instanceof Error && /socket hang up|ECONNRESET/.test(error.message))
        return 'timed out' as const;
      throw error;
    });
    if (paid === 'timed out') {
      ambiguous = true;
      round.count('confirm retried after a Stripe timeout');
      continue;
    }
    // A confirmation answered 500 may have gone through; Stripe then refuses to confirm it again.
    if (paid.ok || (ambiguous && paid.error.code === 'payment_intent_unexpected_state')) {
      round.count('paid');
      return true;
    }
    if (paid.status !== 500 && paid.status !== 429) {
      round.violation(`the sandbox refused the payment of ${booking.id}: ${JSON.stringify(paid.error)}`);
      return false;
    }
    ambiguous ||= paid.status === 500;
    round.count('confirm retried after a Stripe fault');
    await sleep(100 * 2 ** attempt);
  }
  round.count('confirm given up');
  return false;
}

/** Whether the booking has left `held`/`confirmed` the way a cancellation moves it. */
async function cancelApplied(round: Round, booking: OwnedBooking): Promise<boolean> {
  const answer = await round.callAs(booking.buyer, `getBooking?id=${encodeURIComponent(booking.id)}`, {
    method: 'GET',
  });
  if (answer.last?.status !== 200) return false;
  const { status } = bookingAnswer.parse(answer.last.body).booking;
  return booking.plan === 'cancel'
    ? status === 'cancelled'
    : status === 'refund_pending' || status === 'refunded';
}

async function cancel(round: Round, booking: OwnedBooking): Promise<boolean> {
  const answer = await round.callAs(booking.buyer, 'cancelBooking', {
    method: 'POST',
    body: { bookingId: booking.id },
  });
  if (answer.last?.status === 409 && (await cancelApplied(round, booking))) {
    // Known defect (docs/inventory.md, Chaos runs): an ambiguous commit re-runs the cancellation, which
    // then finds its own work done and answers invalid-state.
    round.count('cancelBooking answered 409 though it applied');
    return true;
  }
  if (answer.last?.status !== 200) {
    const type = problemAnswer.safeParse(answer.last?.body).data?.type.split('/').pop() ?? '';
    round.count(`${booking.plan}: cancelBooking answered ${answer.last?.status ?? 'nothing'} ${type}`);
    return false;
  }
  round.count('cancelled');
  return true;
}

/** Pays, cancels or keeps one booking, and notes what it must end as. */
async function journey(round: Round, booking: OwnedBooking): Promise<void> {
  if (booking.plan === 'keep') {
    booking.expected = 'held';
    return;
  }
  if (booking.plan === 'cancel') {
    booking.expected = (await cancel(round, booking)) ? 'cancelled' : undefined;
    return;
  }
  if (!(await pay(round, booking))) return;
  booking.expected = 'confirmed';
  if (booking.plan === 'pay') return;
  if (!(await awaitStatus(round, booking, (status) => status === 'confirmed'))) {
    round.violation(`paid booking ${booking.id} was not confirmed in time to cancel it`);
    return;
  }
  if (await cancel(round, booking)) booking.expected = 'refunded';
}

/** Runs `work` on every item, `width` at a time; throws the first failure once all are done. */
async function inPool<T>(
  items: readonly T[],
  width: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  const failed = (await settleWithConcurrency(items, width, work)).find(
    (outcome) => outcome.status === 'rejected',
  );
  if (failed !== undefined) throw failed.reason;
}

/** Whether the booking reached its expected end, tickets issued for a confirmed one. */
async function settled(round: Round, booking: OwnedBooking): Promise<string | undefined> {
  const answer = await round.callAs(booking.buyer, `getBooking?id=${encodeURIComponent(booking.id)}`, {
    method: 'GET',
  });
  if (answer.last?.status !== 200) return `getBooking answered ${answer.last?.status ?? 'nothing'}`;
  const seen = bookingAnswer.parse(answer.last.body).booking;
  if (seen.status !== booking.expected) return `status ${seen.status}, expected ${booking.expected}`;
  const tickets = seen.tickets?.length ?? 0;
  if (booking.expected === 'confirmed' && tickets !== booking.quantity) {
    return `${tickets} tickets for ${booking.quantity} seats`;
  }
  return undefined;
}

/** Waits for webhooks, Pub/Sub and the scheduled sweeps (called here as Cloud Scheduler would). */
async function settle(round: Round): Promise<void> {
  const deadline = Date.now() + round.shape.settleMs;
  let pending = round.owned.filter((booking) => booking.expected !== undefined);
  const scheduler: CallOptions = { method: 'POST', address: '10.255.255.255' };
  while (pending.length > 0) {
    const outcomes = await Promise.all(
      pending.map(async (booking) => [booking, await settled(round, booking)] as const),
    );
    const unsettled = outcomes.filter(([, problem]) => problem !== undefined);
    pending = unsettled.map(([booking]) => booking);
    if (pending.length === 0) return;
    if (Date.now() > deadline) {
      for (const [booking, problem] of unsettled)
        round.violation(`booking ${booking.id} (${booking.plan}): ${problem}`);
      return;
    }
    await Promise.all([round.call('sweepOutbox', scheduler), round.call('reconcileTickets', scheduler)]);
    await sleep(500);
  }
}

/** Shards balance with bookings, and the sales counters count exactly the bookings that were sold. */
async function checkBooks(round: Round, bookings: readonly StoredBooking[]): Promise<void> {
  const { db } = round.cloud;
  const balance = await new InventoryReconciliation(
    db,
    new EventRepository(db),
    new BookingRepository(db),
    systemClock,
  ).reconcileEvent(round.eventId);
  for (const shard of balance.unbalancedShards) {
    round.violation(`shard ${shard.shardId} out of balance: ${JSON.stringify(shard)}`);
  }
  const cells = await db.runTransaction((tx) => new SalesLedger(db).cellsIn(tx, round.eventId), {
    readOnly: true,
  });
  const { basePrice, surgePrice } = round.shape.sale;
  for (const price of [basePrice, surgePrice]) {
    const counted = cells.filter((cell) => cell.unitPrice === price);
    const sold = counted.reduce((sum, cell) => sum + cell.sold, 0);
    const refunded = counted.reduce((sum, cell) => sum + cell.refunded, 0);
    const soldInBookings = ticketsAt(
      bookings.filter((booking) => EVER_SOLD.has(booking.status)),
      price,
    );
    const refundedInBookings = ticketsAt(
      bookings.filter((booking) => booking.status === 'refunded'),
      price,
    );
    if (sold !== soldInBookings || refunded !== refundedInBookings) {
      round.violation(
        `sales counters at ${price}: ${sold} sold, ${refunded} refunded; bookings: ${soldInBookings} sold, ${refundedInBookings} refunded`,
      );
    }
  }
  round.count(
    'tickets confirmed',
    bookings.filter((b) => b.status === 'confirmed').reduce((s, b) => s + b.quantity, 0),
  );
  round.count('bookings refunded', bookings.filter((b) => b.status === 'refunded').length);
}

/** Sets the Stripe sandbox's API faults through its control API (docs/local-stripe-sandbox.md). */
async function stripeFaults(cloud: ChaosCloud, settings: { fraction: number; seed?: number }): Promise<void> {
  if (cloud.stripeFaultsAllowed !== true) return;
  const answer = await httpRequest(`${cloud.stripeUrl}/_sandbox/faults`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ ...settings, answers: STRIPE_FAULT_ANSWERS, timeoutMs: STRIPE_TIMEOUT_MS }),
  });
  if (answer.status !== 200) throw new Error(`the sandbox refused its faults: ${answer.body}`);
}

/**
 * The commit faults of a round: each failure kind with an equal share of `faultRate`, and the latency
 * spikes split between holding locks and answering late, each seeded from the round's dice.
 */
export function roundFaults(shape: ChaosShape, eventId: string, dice: Dice): CommitFault[] {
  const scope = shape.faultsOnEventOnly ? { documentPrefix: `events/${eventId}/` } : {};
  const failures = FAULT_KINDS.map((kind) => ({
    ...kind,
    fraction: shape.faultRate / FAULT_KINDS.length,
    seed: dice.int(0, 2 ** 31),
    ...scope,
  }));
  const { fraction, delayMs } = shape.latencySpikes;
  if (fraction === 0) return failures;
  const spikes = (['before-apply', 'after-apply'] as const).map((when) => ({
    code: 'LATENCY' as const,
    when,
    delayMs,
    fraction: fraction / 2,
    seed: dice.int(0, 2 ** 31),
    ...scope,
  }));
  return [...failures, ...spikes];
}

/**
 * One chaos round (docs/inventory.md, Chaos runs): a flash sale of a new event from concurrent buyers
 * under injected commit faults, then pay, pay-and-cancel and cancel journeys, then the invariants.
 */
export async function runChaosRound(cloud: ChaosCloud, shape: ChaosShape, seed: number, index: number) {
  const dice = new Dice(seed * 7919 + index);
  const inventory = new FirestoreInventoryStore(cloud.db);
  const eventId = await storeEventOnSale(cloud.db, inventory, shape.sale);
  const round = new Round(cloud, shape, dice, `seed ${seed} round ${index}`, eventId);
  const buyers = await Promise.all(
    Array.from({ length: shape.clients }, (_, client) => createBuyer(cloud, `10.${index % 250}.${client}.1`)),
  );
  await cloud.setCommitFaults(roundFaults(shape, eventId, dice));
  await stripeFaults(cloud, { fraction: shape.stripeFaultRate, seed: dice.int(0, 2 ** 31) });
  await cloud.setDeliveryFaults({ ...shape.pubsub, dataContains: eventId, seed: dice.int(0, 2 ** 31) });
  try {
    await Promise.all(buyers.map((buyer, client) => buy(round, buyer, client)));
    checkSaleInvariants(round, await storedBookings(round));
    for (const booking of round.owned) {
      const roll = dice.next();
      booking.plan = roll < 0.45 ? 'pay' : roll < 0.6 ? 'pay-then-cancel' : roll < 0.8 ? 'cancel' : 'keep';
    }
    await inPool(round.owned, JOURNEY_CONCURRENCY, (booking) => journey(round, booking));
    await settle(round);
  } finally {
    const commits = await cloud.setCommitFaults([]);
    await stripeFaults(cloud, { fraction: 0 });
    const deliveries = await cloud.setDeliveryFaults({});
    round.count('commits failed by injection', commits.failed);
    round.count('commit latency spikes', commits.delayed);
    round.count('Pub/Sub deliveries duplicated', deliveries.duplicated);
    round.count('Pub/Sub deliveries delayed', deliveries.delayed);
  }
  await checkBooks(round, await storedBookings(round));
  const report: RoundReport = { eventId, violations: round.violations, stats: round.stats };
  return report;
}
