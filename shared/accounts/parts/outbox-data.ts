import type { Firestore } from 'firebase-admin/firestore';
import type { BookingRepository } from '../../bookings/booking-repository';
import { OUTBOX_COLLECTION } from '../../pubsub/outbox-repository';
import type { DataSubject, ExportSections, PersonalDataPart } from '../personal-data';
import { rewriteWhere } from '../user-keyed-documents';

/**
 * Messages of the transactional outbox (`outbox`) that name the user: their notifications (ordered by the
 * uid) go, as there is nobody left to tell; the `payment-confirmed` messages of their bookings (ordered by
 * booking) name the pseudonym instead, so that one still waiting to be published issues the tickets of a
 * booking that names the pseudonym too. Erased before the bookings, whose ids it finds by the uid.
 */
export class OutboxData implements PersonalDataPart {
  readonly name = 'outbox';

  constructor(
    private readonly db: Firestore,
    private readonly bookings: BookingRepository,
  ) {}

  exportOf(): Promise<ExportSections> {
    // Transport copies of changes the export shows in full elsewhere.
    return Promise.resolve({});
  }

  async erase(subject: DataSubject): Promise<void> {
    await rewriteWhere(this.db, OUTBOX_COLLECTION, 'orderingKey', subject.uid, 'delete');
    for (const booking of await this.bookings.allOfUser(subject.uid)) {
      const records = await this.db
        .collection(OUTBOX_COLLECTION)
        .where('orderingKey', '==', booking.id)
        .get();
      for (const record of records.docs) {
        const data: unknown = JSON.parse(String(record.get('data')));
        if (typeof data === 'object' && data !== null && 'userId' in data && data.userId === subject.uid) {
          await record.ref.update({ data: JSON.stringify({ ...data, userId: subject.pseudonym }) });
        }
      }
    }
  }
}
