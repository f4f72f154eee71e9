import { createHash } from 'node:crypto';
import { adminFirestore } from '../support/firestore-admin';
import { callFunction } from '../support/http-client';
import { createCompanyAdmin, type RoleUser } from '../support/roles';
import { checkIn, doorEvent, ticketedBooking } from './check-in-fixtures';

interface ManifestJson {
  tickets: { id: string; codeHash: string; status: string; checkedInAt?: string }[];
  nextCursor: string | null;
  generatedAt: string;
}

function manifest(door: RoleUser, query: Record<string, string | number | undefined>) {
  return callFunction<ManifestJson>('checkInManifest', { token: door.idToken, query });
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('checkInManifest', () => {
  it('lists every ticket of the event once, by id, with its code hash and status, page by page', async () => {
    const admin = await createCompanyAdmin();
    const event = await doorEvent(admin);
    const bookings = await Promise.all([ticketedBooking(event, 3), ticketedBooking(event, 2)]);
    const tickets = bookings.flatMap(({ booking }) => booking.tickets);
    await checkIn(admin, event.id, tickets[0]?.code ?? '');

    const listed: ManifestJson['tickets'] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 10; page += 1) {
      const response = await manifest(admin, { eventId: event.id, limit: 2, cursor });
      expect(response.status).toBe(200);
      listed.push(...response.body.tickets);
      if (response.body.nextCursor === null) break;
      cursor = response.body.nextCursor;
    }
    const expected = tickets
      .map((ticket, index) => ({
        id: ticket.id,
        codeHash: sha256(ticket.code),
        status: index === 0 ? 'checked_in' : 'valid',
        ...(index === 0 ? { checkedInAt: expect.any(String) } : {}),
      }))
      .sort((a, b) => (a.id < b.id ? -1 : 1));
    expect(listed).toEqual(expected);
  });

  it('with since, lists only the tickets whose status changed after it', async () => {
    const admin = await createCompanyAdmin();
    const event = await doorEvent(admin);
    const { booking } = await ticketedBooking(event, 3);
    const full = await manifest(admin, { eventId: event.id });
    expect(full.body.tickets).toHaveLength(3);
    expect(Date.parse(full.body.generatedAt)).not.toBeNaN();

    const none = await manifest(admin, { eventId: event.id, since: full.body.generatedAt });
    expect(none.body.tickets).toEqual([]);
    const scanned = booking.tickets[1];
    await checkIn(admin, event.id, scanned?.code ?? '');
    const delta = await manifest(admin, { eventId: event.id, since: full.body.generatedAt });
    expect(delta.body.tickets.map((ticket) => [ticket.id, ticket.status])).toEqual([
      [scanned?.id, 'checked_in'],
    ]);
  });

  it("shows voided tickets, and answers 404 for another company's event and 400 for bad parameters", async () => {
    const admin = await createCompanyAdmin();
    const event = await doorEvent(admin);
    const { booking } = await ticketedBooking(event, 1);
    const generatedAt = (await manifest(admin, { eventId: event.id })).body.generatedAt;
    // What a refund does to the records, in its own transaction.
    const ticket = booking.tickets[0];
    await adminFirestore().runTransaction(async (tx) => {
      tx.update(
        adminFirestore()
          .collection('tickets')
          .doc(sha256(ticket?.code ?? '')),
        { status: 'void', updatedAt: new Date() },
      );
    });
    const delta = await manifest(admin, { eventId: event.id, since: generatedAt });
    expect(delta.body.tickets.map((listed) => listed.status)).toEqual(['void']);

    const stranger = await createCompanyAdmin();
    expect((await manifest(stranger, { eventId: event.id })).status).toBe(404);
    expect((await manifest(admin, { eventId: event.id, limit: 1001 })).status).toBe(400);
    expect((await manifest(admin, { eventId: event.id, since: 'yesterday' })).status).toBe(400);
  });
});
