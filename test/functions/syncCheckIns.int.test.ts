import { adminFirestore } from '../support/firestore-admin';
import { callFunction } from '../support/http-client';
import { createCompanyAdmin, type RoleUser } from '../support/roles';
import { checkIn, doorEvent, ticketedBooking } from './check-in-fixtures';

interface SyncResultJson {
  code: string;
  outcome: string;
  ticketId?: string;
  checkedInAt?: string;
}

function sync(door: RoleUser, body: Record<string, unknown>) {
  return callFunction<{ results: SyncResultJson[] }>('syncCheckIns', { token: door.idToken, body });
}

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

describe('syncCheckIns', () => {
  it('applies offline scans in order with their outcomes, and a re-sent batch changes nothing', async () => {
    const admin = await createCompanyAdmin();
    const event = await doorEvent(admin);
    const { booking } = await ticketedBooking(event, 3);
    const [a, b, c] = booking.tickets;
    if (a === undefined || b === undefined || c === undefined) throw new Error('three tickets expected');
    const scans = [
      { code: a.code, scannedAt: minutesAgo(10) },
      { code: b.qr, scannedAt: minutesAgo(9) },
      { code: a.qr, scannedAt: minutesAgo(8) },
      { code: 'unknown-code', scannedAt: minutesAgo(7) },
    ];

    const first = await sync(admin, { eventId: event.id, deviceId: 'door-1', scans });
    expect(first.status).toBe(200);
    expect(first.body.results).toEqual([
      { code: a.code, outcome: 'checked_in', ticketId: a.id, checkedInAt: scans[0]?.scannedAt },
      { code: b.qr, outcome: 'checked_in', ticketId: b.id, checkedInAt: scans[1]?.scannedAt },
      { code: a.qr, outcome: 'already_checked_in', ticketId: a.id, checkedInAt: scans[0]?.scannedAt },
      { code: 'unknown-code', outcome: 'unknown' },
    ]);

    const again = await sync(admin, { eventId: event.id, deviceId: 'door-1', scans });
    expect(again.body).toEqual(first.body);
    expect((await checkIn(admin, event.id, c.code)).status).toBe(200);
    const sales = await callFunction<{ checkedIn: number }>('eventSales', {
      token: admin.idToken,
      query: { id: event.id },
    });
    expect(sales.body.checkedIn).toBe(3);
  });

  it('keeps the earliest scan of a ticket, even when an earlier offline scan is synced after a later one', async () => {
    const admin = await createCompanyAdmin();
    const event = await doorEvent(admin);
    const { booking } = await ticketedBooking(event, 1);
    const ticket = booking.tickets[0];
    if (ticket === undefined) throw new Error('a ticket expected');
    const online = await checkIn(admin, event.id, ticket.code);
    expect(online.status).toBe(200);

    const earlier = minutesAgo(5);
    const synced = await sync(admin, {
      eventId: event.id,
      deviceId: 'door-2',
      scans: [{ code: ticket.code, scannedAt: earlier }],
    });
    expect(synced.body.results).toEqual([
      { code: ticket.code, outcome: 'checked_in', ticketId: ticket.id, checkedInAt: earlier },
    ]);
    const later = await sync(admin, {
      eventId: event.id,
      deviceId: 'door-3',
      scans: [{ code: ticket.code, scannedAt: minutesAgo(1) }],
    });
    expect(later.body.results).toEqual([
      { code: ticket.code, outcome: 'already_checked_in', ticketId: ticket.id, checkedInAt: earlier },
    ]);
    const rescanned = await checkIn(admin, event.id, ticket.code);
    expect(rescanned.body).toMatchObject({ checkedInAt: earlier });
  });

  it('reports void tickets, refuses future scans and foreign events without applying anything', async () => {
    const admin = await createCompanyAdmin();
    const event = await doorEvent(admin);
    const { booking } = await ticketedBooking(event, 2);
    const [voided, kept] = booking.tickets;
    if (voided === undefined || kept === undefined) throw new Error('two tickets expected');
    await adminFirestore().collection('bookings').doc(booking.id).update({ status: 'refund_pending' });
    const outcome = await sync(admin, {
      eventId: event.id,
      deviceId: 'd',
      scans: [{ code: voided.code, scannedAt: minutesAgo(1) }],
    });
    expect(outcome.body.results).toEqual([{ code: voided.code, outcome: 'void', ticketId: voided.id }]);
    await adminFirestore().collection('bookings').doc(booking.id).update({ status: 'confirmed' });

    const future = await sync(admin, {
      eventId: event.id,
      deviceId: 'd',
      scans: [
        { code: kept.code, scannedAt: minutesAgo(1) },
        { code: kept.code, scannedAt: new Date(Date.now() + 3_600_000).toISOString() },
      ],
    });
    expect(future.status).toBe(400);
    expect(future.body).toMatchObject({ errors: [{ path: 'scans.1.scannedAt' }] });
    const stranger = await createCompanyAdmin();
    const foreign = await sync(stranger, {
      eventId: event.id,
      deviceId: 'd',
      scans: [{ code: kept.code, scannedAt: minutesAgo(1) }],
    });
    expect(foreign.status).toBe(404);
    const tooMany = Array.from({ length: 201 }, () => ({ code: kept.code, scannedAt: minutesAgo(1) }));
    expect((await sync(admin, { eventId: event.id, deviceId: 'd', scans: tooMany })).status).toBe(400);
    expect((await checkIn(admin, event.id, kept.code)).status).toBe(200);
  });
});
