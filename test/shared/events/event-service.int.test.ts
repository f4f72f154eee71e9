import { AUDIT_LOG_COLLECTION, AuditLog } from '../../../shared/audit/audit-log';
import { CancellationJobRepository } from '../../../shared/cancellations/cancellation-job-repository';
import { createEventBodySchema } from '../../../shared/events/event-schemas';
import { EventRepository } from '../../../shared/events/event-repository';
import { EventService } from '../../../shared/events/event-service';
import type { AdminCaller } from '../../../shared/http/http-types';
import { FirestoreInventoryStore } from '../../../shared/inventory/firestore-inventory-store';
import { eventBody } from '../../support/events';
import { adminFirestore } from '../../support/firestore-admin';
import { setCommitFaults } from '../../support/firestore-faults';

describe('EventService.create when its commit lands but the client sees an error', () => {
  afterEach(async () => {
    jest.restoreAllMocks();
    await setCommitFaults([]);
  });

  it('answers with the event it created, stored once with one audit entry', async () => {
    const db = adminFirestore();
    const events = new EventRepository(db);
    // Creating an event announces nothing: the fan-out is never asked to schedule.
    const fanout = { schedule: jest.fn() };
    const service = new EventService(
      db,
      events,
      new FirestoreInventoryStore(db),
      new AuditLog(db),
      new CancellationJobRepository(db),
      fanout,
    );
    // The id is known in advance so that the fault hits this event's commit only.
    const eventId = events.newId();
    jest.spyOn(events, 'newId').mockReturnValue(eventId);
    await setCommitFaults([
      { code: 'DEADLINE_EXCEEDED', when: 'after-apply', documentPrefix: `events/${eventId}`, count: 1 },
    ]);
    const caller: AdminCaller = {
      uid: `admin-${eventId}`,
      email: undefined,
      emailVerified: false,
      role: 'admin',
      companyId: `company-${eventId}`,
    };

    const event = await service.create(caller, createEventBodySchema.parse(eventBody()));

    expect(event.id).toBe(eventId);
    expect((await db.collection('events').doc(eventId).get()).exists).toBe(true);
    const audit = await db.collection(AUDIT_LOG_COLLECTION).where('target.eventId', '==', eventId).get();
    expect(audit.size).toBe(1);
    expect(fanout.schedule).not.toHaveBeenCalled();
  });
});
