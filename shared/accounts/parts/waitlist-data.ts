import type { Firestore } from 'firebase-admin/firestore';
import { WAITLIST_ENTRIES_COLLECTION } from '../../waitlist/waitlist-repository';
import type { WaitlistService } from '../../waitlist/waitlist-service';
import type { DataSubject, ExportSections, PersonalDataPart } from '../personal-data';
import { rewriteWhere } from '../user-keyed-documents';

/**
 * Waitlist entries (`waitlistEntries`, keyed by the uid). Active entries are cancelled through the waitlist
 * service, so the event's gate stops counting them and no offer is made to the closing account; then every
 * entry is deleted: an entry is no accounting record (an offer that was paid is a booking, kept there).
 */
export class WaitlistData implements PersonalDataPart {
  readonly name = 'waitlist';

  constructor(
    private readonly db: Firestore,
    private readonly waitlist: Pick<WaitlistService, 'listByUser' | 'cancelAllForUser'>,
  ) {}

  async exportOf(uid: string): Promise<ExportSections> {
    const entries = await this.waitlist.listByUser(uid);
    return { waitlist: entries.map((entry) => ({ ...entry })) };
  }

  async erase(subject: DataSubject): Promise<void> {
    await this.waitlist.cancelAllForUser(subject.uid);
    await rewriteWhere(this.db, WAITLIST_ENTRIES_COLLECTION, 'userId', subject.uid, 'delete');
  }
}
