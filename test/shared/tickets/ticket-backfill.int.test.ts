import { randomUUID } from 'node:crypto';
import { deleteApp, initializeApp, type App } from 'firebase-admin/app';
import { getFirestore, type Firestore } from 'firebase-admin/firestore';
import type { Booking } from '../../../shared/bookings/booking';
import { BookingRepository } from '../../../shared/bookings/booking-repository';
import { codeHash } from '../../../shared/tickets/ticket';
import { TicketBackfill } from '../../../shared/tickets/ticket-backfill';
import { TicketRepository } from '../../../shared/tickets/ticket-repository';
import { generateTicketKey, TicketSigner, TicketVerifier } from '../../../shared/tickets/ticket-signing';
import { localCloudEnvironment } from '../../support/environment';

// A project of its own: the backfill walks every booking, and other test files' bookings are not its business.
let app: App;
let db: Firestore;

beforeAll(() => {
  localCloudEnvironment();
  app = initializeApp({ projectId: `demo-backfill-${randomUUID().slice(0, 8)}` }, 'ticket-backfill-test');
  db = getFirestore(app);
});

afterAll(async () => {
  await deleteApp(app);
});

function legacyBooking(status: Booking['status'], tickets: Booking['tickets']): Booking {
  const now = new Date();
  return {
    id: new BookingRepository(db).newId(),
    eventId: 'event1',
    userId: 'user1',
    companyId: 'company1',
    quantity: tickets?.length ?? 1,
    status,
    unitPrices: (tickets ?? [{}]).map(() => 1000),
    total: 1000 * (tickets?.length ?? 1),
    currency: 'EUR',
    allocation: [{ shardId: 'base-0', pool: 'base', quantity: tickets?.length ?? 1 }],
    expiresAt: now,
    createdAt: now,
    updatedAt: now,
    ...(tickets === undefined ? {} : { tickets }),
  };
}

describe('TicketBackfill', () => {
  it('signs and records tickets issued before check-in, keeps their codes, and changes nothing when run again', async () => {
    const key = generateTicketKey('backfill');
    const backfill = new TicketBackfill(
      db,
      new BookingRepository(db),
      new TicketRepository(db),
      new TicketSigner(key.privateKey),
    );
    const confirmed = legacyBooking('confirmed', [
      { id: 't1', code: 'code-one' },
      { id: 't2', code: 'code-two' },
    ]);
    const refunded = legacyBooking('refunded', [{ id: 't3', code: 'code-three' }]);
    const held = legacyBooking('held', undefined);
    const repository = new BookingRepository(db);
    await db.runTransaction(async (tx) => {
      for (const booking of [confirmed, refunded, held]) repository.create(tx, booking);
    });

    expect(await backfill.run(2)).toEqual({ scanned: 3, completed: 2 });
    const stored = await repository.find(confirmed.id);
    const verifier = new TicketVerifier([key.publicKey]);
    expect(stored?.tickets?.map((ticket) => [ticket.id, ticket.code])).toEqual([
      ['t1', 'code-one'],
      ['t2', 'code-two'],
    ]);
    expect(stored?.tickets?.map((ticket) => verifier.verify(ticket.qr ?? ''))).toEqual([
      { tid: 't1', eid: 'event1', kid: 'backfill' },
      { tid: 't2', eid: 'event1', kid: 'backfill' },
    ]);
    const records = await new TicketRepository(db).statesOf(['code-one', 'code-two', 'code-three']);
    expect(records.get(codeHash('code-one'))?.status).toBe('valid');
    expect(records.get(codeHash('code-three'))?.status).toBe('void');

    expect(await backfill.run(2)).toEqual({ scanned: 3, completed: 0 });
    expect((await repository.find(confirmed.id))?.tickets).toEqual(stored?.tickets);
  });
});
