import fc from 'fast-check';
import type { Reservation } from '../../../shared/inventory/ticket-reservation';
import {
  chooseOffers,
  countsAfter,
  keptForWaitlist,
  smallestWaiting,
  splitReservation,
  type WaitingCounts,
  type WaitingRequest,
} from '../../../shared/waitlist/offer-rule';

/** One step of a random waitlist history. */
type Step =
  | { kind: 'join'; quantity: number }
  | { kind: 'leave'; pick: number }
  | { kind: 'return'; tickets: number }
  | { kind: 'expire'; pick: number }
  | { kind: 'pay'; pick: number }
  | { kind: 'sell'; quantity: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('join' as const), quantity: fc.integer({ min: 1, max: 6 }) }),
  fc.record({ kind: fc.constant('leave' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('return' as const), tickets: fc.integer({ min: 1, max: 8 }) }),
  fc.record({ kind: fc.constant('expire' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('pay' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('sell' as const), quantity: fc.integer({ min: 1, max: 6 }) }),
);

interface Entry extends WaitingRequest {
  status: 'waiting' | 'offered' | 'converted' | 'expired' | 'left';
  offers: number;
}

/**
 * A model event: tickets are free, held by an offer, or sold (to an offer's owner or to an outsider); the
 * rule is applied after every step as the offer job applies it, in rounds of at most `limit` offers.
 */
class ModelEvent {
  readonly entries: Entry[] = [];
  free = 0;
  offered = 0;
  sold = 0;
  private seq = 0;
  private gate: WaitingCounts = {};

  constructor(
    readonly total: number,
    private readonly limit: number,
  ) {
    this.sold = total;
  }

  waiting(): Entry[] {
    return this.entries.filter((entry) => entry.status === 'waiting');
  }

  apply(action: Step): void {
    switch (action.kind) {
      case 'join':
        // Joining is allowed only when booking would be refused: not enough free, or free kept for others.
        if (this.free >= action.quantity && !keptForWaitlist(this.gate, this.free)) return;
        this.seq += 1;
        this.entries.push({
          id: `e${this.seq}`,
          seq: this.seq,
          quantity: action.quantity,
          status: 'waiting',
          offers: 0,
        });
        this.gate = countsAfter(this.gate, action.quantity, 1);
        break;
      case 'leave': {
        const entry = this.pick(this.waiting(), action.pick);
        if (entry === undefined) return;
        entry.status = 'left';
        this.gate = countsAfter(this.gate, entry.quantity, -1);
        break;
      }
      case 'return': {
        const tickets = Math.min(action.tickets, this.sold);
        this.sold -= tickets;
        this.free += tickets;
        break;
      }
      case 'expire':
      case 'pay': {
        const entry = this.pick(
          this.entries.filter((candidate) => candidate.status === 'offered'),
          action.pick,
        );
        if (entry === undefined) return;
        this.offered -= entry.quantity;
        if (action.kind === 'pay') {
          entry.status = 'converted';
          this.sold += entry.quantity;
        } else {
          entry.status = 'expired';
          this.free += entry.quantity;
        }
        break;
      }
      case 'sell':
        // An outsider's booking: refused while a waiting entry fits the free tickets (waitlist first).
        if (this.free < action.quantity || keptForWaitlist(this.gate, this.free)) return;
        this.free -= action.quantity;
        this.sold += action.quantity;
        break;
    }
    this.offerAll();
  }

  private pick<T>(candidates: readonly T[], pick: number): T | undefined {
    return candidates.length === 0 ? undefined : candidates[pick % candidates.length];
  }

  private offerAll(): void {
    for (;;) {
      const before = this.waiting();
      const chosen = chooseOffers(before, this.free, this.limit);
      if (chosen.length === 0) return;
      let free = this.free;
      for (const entry of chosen) {
        // Earliest entry that fits: every earlier waiting entry not chosen asked for more than was free.
        for (const earlier of before.filter((candidate) => candidate.seq < entry.seq)) {
          if (!chosen.includes(earlier)) expect(earlier.quantity).toBeGreaterThan(free);
        }
        free -= entry.quantity;
        entry.status = 'offered';
        entry.offers += 1;
        this.gate = countsAfter(this.gate, entry.quantity, -1);
      }
      const taken = chosen.reduce((sum, entry) => sum + entry.quantity, 0);
      this.free -= taken;
      this.offered += taken;
    }
  }

  gateCounts(): WaitingCounts {
    return this.gate;
  }
}

describe('the offer rule', () => {
  it('keeps every ticket in exactly one place, offers no entry twice and leaves no waiting entry that fits', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 1, max: 4 }),
        fc.array(step, { maxLength: 80 }),
        (total, limit, steps) => {
          const event = new ModelEvent(total, limit);
          for (const action of steps) {
            event.apply(action);
            expect(event.free + event.offered + event.sold).toBe(total);
            expect(event.free).toBeGreaterThanOrEqual(0);
            for (const entry of event.entries) expect(entry.offers).toBeLessThanOrEqual(1);
            const waiting = event.waiting();
            for (const entry of waiting) expect(entry.quantity).toBeGreaterThan(event.free);
            expect(keptForWaitlist(event.gateCounts(), event.free)).toBe(false);
            expect(smallestWaiting(event.gateCounts())).toBe(
              waiting.length === 0 ? undefined : Math.min(...waiting.map((entry) => entry.quantity)),
            );
          }
        },
      ),
    );
  });

  it('serves the earliest entry that fits and lets a larger earlier one keep its place', () => {
    const waiting = [
      { id: 'a', seq: 1, quantity: 4 },
      { id: 'b', seq: 2, quantity: 2 },
      { id: 'c', seq: 3, quantity: 1 },
      { id: 'd', seq: 4, quantity: 1 },
    ];

    expect(chooseOffers(waiting, 3, 10).map((entry) => entry.id)).toEqual(['b', 'c']);
    expect(chooseOffers(waiting, 4, 10).map((entry) => entry.id)).toEqual(['a']);
    expect(chooseOffers(waiting, 8, 2).map((entry) => entry.id)).toEqual(['a', 'b']);
    expect(chooseOffers(waiting, 0, 10)).toEqual([]);
  });

  it('orders by join sequence whatever order the entries come in', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.record({ seq: fc.nat(1000), quantity: fc.integer({ min: 1, max: 5 }) }), {
          selector: (entry) => entry.seq,
        }),
        fc.integer({ min: 0, max: 20 }),
        (raw, free) => {
          const waiting = raw.map((entry) => ({ ...entry, id: String(entry.seq) }));
          const shuffled = [...waiting].reverse();
          expect(chooseOffers(shuffled, free, 100)).toEqual(chooseOffers(waiting, free, 100));
          const chosen = chooseOffers(waiting, free, 100);
          expect(chosen.reduce((sum, entry) => sum + entry.quantity, 0)).toBeLessThanOrEqual(free);
        },
      ),
    );
  });
});

describe('splitReservation', () => {
  it('gives each offer its quantity in order, base-price tickets to the earliest', () => {
    const reservation: Reservation = {
      takes: [
        { shardId: 'b1', pool: 'base', quantity: 2 },
        { shardId: 'b2', pool: 'base', quantity: 1 },
        { shardId: 's1', pool: 'surge', quantity: 3 },
      ],
      baseTickets: 3,
      surgeTickets: 3,
    };

    const parts = splitReservation(reservation, [2, 2, 2]);

    expect(parts).toEqual([
      { takes: [{ shardId: 'b1', pool: 'base', quantity: 2 }], baseTickets: 2, surgeTickets: 0 },
      {
        takes: [
          { shardId: 'b2', pool: 'base', quantity: 1 },
          { shardId: 's1', pool: 'surge', quantity: 1 },
        ],
        baseTickets: 1,
        surgeTickets: 1,
      },
      { takes: [{ shardId: 's1', pool: 'surge', quantity: 2 }], baseTickets: 0, surgeTickets: 2 },
    ]);
  });

  it('refuses to split more tickets than were reserved', () => {
    const reservation: Reservation = {
      takes: [{ shardId: 'b1', pool: 'base', quantity: 1 }],
      baseTickets: 1,
      surgeTickets: 0,
    };

    expect(() => splitReservation(reservation, [2])).toThrow('fewer tickets');
  });
});
