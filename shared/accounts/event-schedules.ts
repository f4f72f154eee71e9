import { Timestamp, type Firestore, type Transaction } from 'firebase-admin/firestore';
import type { EventSchedule } from './account-deletion';

function scheduleOf(data: { startsAt?: unknown; status?: unknown }): EventSchedule | undefined {
  if (!(data.startsAt instanceof Timestamp)) return undefined;
  return {
    startsAt: data.startsAt.toDate(),
    status: typeof data.status === 'string' ? data.status : undefined,
  };
}

/**
 * When events start and whether they were cancelled, read from `events/{id}` in a transaction: only the two
 * fields the deletion rules need, so a status this code does not know yet is passed on, not refused.
 */
export class EventSchedules {
  constructor(private readonly db: Firestore) {}

  /** The schedules of `eventIds` that exist, read in `tx`. */
  async ofEventsIn(tx: Transaction, eventIds: readonly string[]): Promise<Map<string, EventSchedule>> {
    const unique = [...new Set(eventIds)];
    if (unique.length === 0) return new Map();
    const snapshots = await tx.getAll(...unique.map((id) => this.db.collection('events').doc(id)));
    const schedules = new Map<string, EventSchedule>();
    for (const snapshot of snapshots) {
      const schedule = scheduleOf(snapshot.data() ?? {});
      if (schedule !== undefined) schedules.set(snapshot.id, schedule);
    }
    return schedules;
  }

  /** The schedules of the company's events that start after `now`, read in `tx`. */
  async upcomingOfCompanyIn(tx: Transaction, companyId: string, now: Date): Promise<EventSchedule[]> {
    const snapshot = await tx.get(
      this.db
        .collection('events')
        .where('companyId', '==', companyId)
        .where('startsAt', '>', Timestamp.fromDate(now))
        .select('startsAt', 'status'),
    );
    return snapshot.docs.flatMap((document) => scheduleOf(document.data()) ?? []);
  }
}
