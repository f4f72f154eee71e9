import { createPublicKey, verify } from 'node:crypto';
import { adminFirestore } from '../support/firestore-admin';
import { callFunction } from '../support/http-client';
import { createCompanyAdmin, createCompanyStaff, createRegisteredUser } from '../support/roles';
import { problemType, type BookingJson } from './booking-fixtures';
import { checkIn, doorEvent, ticketedBooking } from './check-in-fixtures';

interface Jwk {
  kid: string;
  kty: string;
  crv: string;
  x: string;
}

async function publishedKeys(): Promise<Jwk[]> {
  const response = await callFunction<{ keys: Jwk[] }>('ticketKeys', {});
  expect(response.status).toBe(200);
  return response.body.keys;
}

/** Decodes the payload of a QR string without trusting it. */
function payloadOf(qr: string): Record<string, unknown> {
  const [, payload = ''] = qr.split('.');
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
}

async function readBooking(token: string, id: string): Promise<BookingJson> {
  const response = await callFunction<{ booking: BookingJson }>('getBooking', { token, query: { id } });
  expect(response.status).toBe(200);
  return response.body.booking;
}

describe('ticketKeys', () => {
  it('publishes the Ed25519 public keys without authentication, and the qr of every ticket verifies', async () => {
    const keys = await publishedKeys();
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys)
      expect(key).toEqual({ kid: expect.any(String), kty: 'OKP', crv: 'Ed25519', x: expect.any(String) });

    const admin = await createCompanyAdmin();
    const event = await doorEvent(admin);
    const { booking } = await ticketedBooking(event, 2);
    for (const ticket of booking.tickets) {
      expect(ticket.status).toBe('valid');
      const qr = ticket.qr ?? '';
      expect(qr).toMatch(/^EMT1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
      const payload = payloadOf(qr);
      expect(payload).toEqual({ tid: ticket.id, eid: event.id, kid: expect.any(String) });
      const key = keys.find((candidate) => candidate.kid === payload['kid']);
      if (key === undefined) throw new Error('the qr names a key that ticketKeys does not publish');
      const [prefix, body, signature = ''] = qr.split('.');
      const publicKey = createPublicKey({ key: { ...key }, format: 'jwk' });
      expect(
        verify(
          null,
          Buffer.from(`${prefix}.${body}`, 'ascii'),
          publicKey,
          Buffer.from(signature, 'base64url'),
        ),
      ).toBe(true);
    }
  });
});

describe('checkIn', () => {
  it('admits a ticket once: 200 with the holder, then 409 already-checked-in with the first scan time', async () => {
    const admin = await createCompanyAdmin();
    const event = await doorEvent(admin);
    const { holder, booking } = await ticketedBooking(event, 2);
    const [first, second] = booking.tickets;
    if (first === undefined || second === undefined) throw new Error('two tickets expected');

    const admitted = await checkIn(admin, event.id, first.code);
    expect(admitted.status).toBe(200);
    expect(admitted.body).toEqual({
      ticket: {
        id: first.id,
        bookingId: booking.id,
        eventId: event.id,
        status: 'checked_in',
        checkedInAt: expect.any(String),
      },
      holder: { name: 'Grace Hopper' },
    });
    const checkedInAt = admitted.body.ticket?.['checkedInAt'];

    const again = await checkIn(admin, event.id, first.qr ?? '');
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ type: problemType('already-checked-in'), checkedInAt });

    const byQr = await checkIn(admin, event.id, second.qr ?? '');
    expect(byQr.status).toBe(200);

    const read = await readBooking(holder.idToken, booking.id);
    expect(read.tickets).toEqual([
      { id: first.id, code: first.code, qr: first.qr, status: 'checked_in', checkedInAt },
      {
        id: second.id,
        code: second.code,
        qr: second.qr,
        status: 'checked_in',
        checkedInAt: expect.any(String),
      },
    ]);
    const sales = await callFunction<{ checkedIn: number }>('eventSales', {
      token: admin.idToken,
      query: { id: event.id },
    });
    expect(sales.body.checkedIn).toBe(2);
  });

  it('lets exactly one of 10 concurrent scans of one ticket in', async () => {
    const admin = await createCompanyAdmin();
    const event = await doorEvent(admin);
    const { booking } = await ticketedBooking(event, 1);
    const ticket = booking.tickets[0];
    if (ticket === undefined) throw new Error('a ticket expected');

    const scans = await Promise.all(
      Array.from({ length: 10 }, (_, index) =>
        checkIn(admin, event.id, index % 2 === 0 ? ticket.code : (ticket.qr ?? '')),
      ),
    );
    const statuses = scans.map((scan) => scan.status).sort();
    expect(statuses).toEqual([200, 409, 409, 409, 409, 409, 409, 409, 409, 409]);
    const winner = scans.find((scan) => scan.status === 200)?.body.ticket?.['checkedInAt'];
    for (const scan of scans.filter((candidate) => candidate.status === 409)) {
      expect(scan.body).toMatchObject({ type: problemType('already-checked-in'), checkedInAt: winner });
    }
  });

  it('answers 404 alike for unknown codes, other events, other companies and forged or altered qr strings', async () => {
    const admin = await createCompanyAdmin();
    const event = await doorEvent(admin);
    const otherEvent = await doorEvent(admin);
    const { booking } = await ticketedBooking(event, 2);
    const [ticket, sibling] = booking.tickets;
    if (ticket?.qr === undefined || sibling?.qr === undefined) throw new Error('signed tickets expected');
    const [prefix, payload, signature = ''] = ticket.qr.split('.');
    const siblingPayload = sibling.qr.split('.')[1];
    const signatureBytes = Buffer.from(signature, 'base64url');
    signatureBytes[10] = (signatureBytes[10] ?? 0) ^ 0x01;
    const flipped = signatureBytes.toString('base64url');
    const otherCompany = await createCompanyAdmin();

    const refused = await Promise.all([
      checkIn(admin, event.id, 'no-such-code-0000000000'),
      checkIn(admin, otherEvent.id, ticket.code),
      checkIn(admin, otherEvent.id, ticket.qr),
      checkIn(otherCompany, event.id, ticket.code),
      checkIn(admin, event.id, `${prefix}.${payload}.${flipped}`),
      checkIn(admin, event.id, `${prefix}.${siblingPayload}.${signature}`),
      checkIn(
        admin,
        event.id,
        `${prefix}.${Buffer.from(JSON.stringify({ tid: ticket.id, eid: event.id, kid: 'forged' })).toString('base64url')}.${signature}`,
      ),
      checkIn(admin, event.id, 'EMT1.not-base64!.x'),
    ]);
    expect(refused.map((response) => response.status)).toEqual([404, 404, 404, 404, 404, 404, 404, 404]);
    expect(new Set(refused.map((response) => JSON.stringify(response.body))).size).toBe(1);
    // Nothing was checked in by any of them.
    expect((await checkIn(admin, event.id, ticket.code)).status).toBe(200);
    expect((await checkIn(admin, event.id, sibling.code)).status).toBe(200);
  });

  it('refuses the ticket of a booking that is no longer confirmed with 409 ticket-void', async () => {
    const admin = await createCompanyAdmin();
    const event = await doorEvent(admin);
    const { holder, booking } = await ticketedBooking(event, 1);
    await adminFirestore().collection('bookings').doc(booking.id).update({ status: 'refunded' });

    const scan = await checkIn(admin, event.id, booking.tickets[0]?.code ?? '');
    expect(scan.status).toBe(409);
    expect(scan.body.type).toBe(problemType('ticket-void'));
    const read = await readBooking(holder.idToken, booking.id);
    expect(read.tickets?.map((ticket) => ticket.status)).toEqual(['void']);
  });

  it('is for the company only: a normal user gets 403, bad bodies 400', async () => {
    const admin = await createCompanyAdmin();
    const event = await doorEvent(admin);
    const user = await createRegisteredUser();
    expect((await checkIn(user, event.id, 'abc')).status).toBe(403);
    const extra = await callFunction('checkIn', {
      token: admin.idToken,
      body: { eventId: event.id, code: 'x', status: 'checked_in' },
    });
    expect(extra.status).toBe(400);
    const empty = await callFunction('checkIn', {
      token: admin.idToken,
      body: { eventId: event.id, code: '' },
    });
    expect(empty.status).toBe(400);
  });

  it("lets the company's door staff check in, but nothing else", async () => {
    const admin = await createCompanyAdmin();
    const staff = await createCompanyStaff(admin.companyId);
    const event = await doorEvent(admin);
    const { booking } = await ticketedBooking(event, 1);
    expect((await checkIn(staff, event.id, booking.tickets[0]?.code ?? '')).status).toBe(200);
    const otherStaff = await createCompanyStaff((await createCompanyAdmin()).companyId);
    expect((await checkIn(otherStaff, event.id, booking.tickets[0]?.code ?? '')).status).toBe(404);
    const sales = await callFunction('eventSales', { token: staff.idToken, query: { id: event.id } });
    expect(sales.status).toBe(403);
    const created = await callFunction('createEvent', { token: staff.idToken, body: {} });
    expect(created.status).toBe(403);
  });
});
