import { randomUUID } from 'node:crypto';
import { Timestamp } from 'firebase-admin/firestore';
import { AUDIT_LOG_COLLECTION, AuditLog } from '../../../shared/audit/audit-log';
import { createEventAs } from '../../support/events';
import { adminFirestore } from '../../support/firestore-admin';
import { callFunction } from '../../support/http-client';
import { createCompanyAdmin } from '../../support/roles';

function entriesOf(eventId: string) {
  return adminFirestore().collection(AUDIT_LOG_COLLECTION).where('target.eventId', '==', eventId).get();
}

describe('AuditLog', () => {
  it('stores an entry with the transaction that commits, and none for one that aborts', async () => {
    const db = adminFirestore();
    const audit = new AuditLog(db);
    const kept = randomUUID();
    const dropped = randomUUID();
    const at = new Date('2026-11-26T10:00:00Z');
    const entry = (eventId: string) =>
      ({
        action: 'event.updated',
        actor: { kind: 'stripe', stripeEventId: 'evt_1' },
        target: { eventId, bookingId: undefined },
        details: { before: { totalTickets: 10 }, after: { totalTickets: 12 } },
      }) as const;

    await db.runTransaction(async (tx) => audit.record(tx, entry(kept), at));
    await expect(
      db.runTransaction(async (tx) => {
        audit.record(tx, entry(dropped), at);
        throw new Error('the change this entry records failed');
      }),
    ).rejects.toThrow('failed');

    const stored = await entriesOf(kept);
    expect(stored.docs.map((doc) => doc.data())).toEqual([
      {
        at: Timestamp.fromDate(at),
        action: 'event.updated',
        actor: { kind: 'stripe', stripeEventId: 'evt_1' },
        target: { eventId: kept },
        details: { before: { totalTickets: 10 }, after: { totalTickets: 12 } },
      },
    ]);
    expect((await entriesOf(dropped)).empty).toBe(true);
  });

  it('records createEvent and a successful updateEvent with the admin and the changed fields, not a refused one', async () => {
    const admin = await createCompanyAdmin();
    const event = await createEventAs(admin, { totalTickets: 100, basePrice: 2500 });
    const update = (version: number) =>
      callFunction('updateEvent', {
        token: admin.idToken,
        body: { id: event.id, version, basePrice: 3000, totalTickets: 120 },
      });
    expect((await update(event.version)).status).toBe(200);
    expect((await update(event.version)).status).toBe(409);

    const entries = (await entriesOf(event.id)).docs.map((doc) => doc.data());
    const actor = { kind: 'admin', uid: admin.uid, companyId: admin.companyId };
    const target = { companyId: admin.companyId, eventId: event.id };
    expect(entries.map((entry) => entry['action']).sort()).toEqual(['event.created', 'event.updated']);
    expect(entries.find((entry) => entry['action'] === 'event.created')).toMatchObject({
      actor,
      target,
      details: {
        version: 1,
        after: { totalTickets: 100, basePrice: 2500, currency: 'EUR', startsAt: event.startsAt },
      },
    });
    expect(entries.find((entry) => entry['action'] === 'event.updated')).toMatchObject({
      actor,
      target,
      details: {
        version: 2,
        before: { basePrice: 2500, totalTickets: 100 },
        after: { basePrice: 3000, totalTickets: 120 },
      },
    });
  });
});
