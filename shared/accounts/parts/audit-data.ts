import type { Firestore } from 'firebase-admin/firestore';
import { AUDIT_LOG_COLLECTION } from '../../audit/audit-log';
import type { DataSubject, ExportSections, PersonalDataPart } from '../personal-data';
import { rewriteWhere } from '../user-keyed-documents';

/**
 * The audit trail (`auditLog`): entries stay, as the record of what happened to money and events, but the
 * acting uid becomes the pseudonym. Their details hold amounts, ids and event fields, never a name, email or
 * phone. This is the one write that changes existing audit entries (docs/accounts.md).
 */
export class AuditData implements PersonalDataPart {
  readonly name = 'audit';

  constructor(private readonly db: Firestore) {}

  exportOf(): Promise<ExportSections> {
    // The audit trail is the operator's record of their own processing, not data the user provided.
    return Promise.resolve({});
  }

  async erase(subject: DataSubject): Promise<void> {
    await rewriteWhere(this.db, AUDIT_LOG_COLLECTION, 'actor.uid', subject.uid, {
      update: { 'actor.uid': subject.pseudonym },
    });
  }
}
