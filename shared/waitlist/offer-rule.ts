import type { Reservation, ShardTake } from '../inventory/ticket-reservation';

/** A waiting entry as the offer rule sees it: who asked first (`seq`) and for how many tickets. */
export interface WaitingRequest {
  readonly id: string;
  readonly seq: number;
  readonly quantity: number;
}

/**
 * The entries that get offers when `free` tickets are on sale: in join order, each entry that fits what is
 * still free takes its tickets; an entry asking for more keeps its place and the next one that fits is
 * served ("earliest entry that fits"). At most `limit` entries, so that one transaction stays small; the
 * rest are served by the next round, which applies the same rule to what is left.
 */
export function chooseOffers<T extends WaitingRequest>(
  waiting: readonly T[],
  free: number,
  limit: number,
): T[] {
  const chosen: T[] = [];
  let left = free;
  for (const entry of [...waiting].sort((a, b) => a.seq - b.seq)) {
    if (chosen.length >= limit || left <= 0) break;
    if (entry.quantity <= left) {
      chosen.push(entry);
      left -= entry.quantity;
    }
  }
  return chosen;
}

/** Waiting entries per quantity asked, as the event's waitlist gate counts them. */
export type WaitingCounts = Readonly<Record<string, number>>;

/** The smallest quantity a waiting entry asks for; undefined when nobody waits. */
export function smallestWaiting(counts: WaitingCounts): number | undefined {
  const asked = Object.entries(counts)
    .filter(([, count]) => count > 0)
    .map(([quantity]) => Number(quantity));
  return asked.length === 0 ? undefined : Math.min(...asked);
}

/** The counts after entries asking for `quantity` joined (`delta` > 0) or stopped waiting (`delta` < 0). */
export function countsAfter(counts: WaitingCounts, quantity: number, delta: number): WaitingCounts {
  const next = Math.max(0, (counts[String(quantity)] ?? 0) + delta);
  const { [String(quantity)]: _dropped, ...rest } = counts;
  return next === 0 ? rest : { ...rest, [String(quantity)]: next };
}

/**
 * Whether free tickets are kept for the waitlist: some waiting entry fits them. `book` by anyone else then
 * answers sold-out, and `joinWaitlist` counts them as not free.
 */
export function keptForWaitlist(counts: WaitingCounts, free: number): boolean {
  const smallest = smallestWaiting(counts);
  return smallest !== undefined && smallest <= free;
}

/**
 * Splits one reservation made for several offers into one per offer, in order: the takes are consumed in
 * the order the reservation lists them (base-price tickets first), so the earliest entry gets the cheapest
 * tickets, exactly as if the offers had been booked one after another.
 */
export function splitReservation(reservation: Reservation, quantities: readonly number[]): Reservation[] {
  const queue = reservation.takes.map((take) => ({ ...take }));
  return quantities.map((quantity) => {
    const takes: ShardTake[] = [];
    let missing = quantity;
    while (missing > 0) {
      const head = queue[0];
      if (head === undefined) throw new Error('the reservation holds fewer tickets than the offers need');
      const taken = Math.min(missing, head.quantity);
      takes.push({ shardId: head.shardId, pool: head.pool, quantity: taken });
      head.quantity -= taken;
      missing -= taken;
      if (head.quantity === 0) queue.shift();
    }
    const baseTickets = takes.filter((take) => take.pool === 'base').reduce((sum, t) => sum + t.quantity, 0);
    return { takes, baseTickets, surgeTickets: quantity - baseTickets };
  });
}
