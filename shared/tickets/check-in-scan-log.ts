import { createHash } from 'node:crypto';
import { Timestamp, type Firestore, type Transaction } from 'firebase-admin/firestore';
import * as z from 'zod';
import { storedTimestamp } from '../firebase/stored-timestamp';
import { SCAN_OUTCOMES, type ScanOutcome } from './check-in-response-schemas';

/** One offline scan as a door device reports it. */
export interface OfflineScan {
  readonly deviceId: string;
  readonly code: string;
  readonly scannedAt: Date;
}

/** The outcome a synced scan got the first time, which every re-send answers again. */
export interface RecordedScan {
  readonly outcome: ScanOutcome;
  readonly ticketId?: string;
  readonly checkedInAt?: Date;
}

const scanDocument = z.object({
  outcome: z.enum(SCAN_OUTCOMES),
  ticketId: z.string().optional(),
  checkedInAt: storedTimestamp.optional(),
});

/**
 * The synced scans of an event, `events/{eventId}/checkInScans/{key}`, keyed by a hash of device, code and
 * scan instant: the same scan sent again finds its first outcome, in the same transaction that would
 * otherwise apply it, so a re-sent batch changes nothing.
 */
export class CheckInScanLog {
  constructor(private readonly db: Firestore) {}

  /** The scan's first outcome, read in `tx`; undefined if it was never synced. */
  async getIn(tx: Transaction, eventId: string, scan: OfflineScan): Promise<RecordedScan | undefined> {
    const snapshot = await tx.get(this.ref(eventId, scan));
    if (!snapshot.exists) return undefined;
    const { outcome, ticketId, checkedInAt } = scanDocument.parse(snapshot.data());
    return {
      outcome,
      ...(ticketId === undefined ? {} : { ticketId }),
      ...(checkedInAt === undefined ? {} : { checkedInAt }),
    };
  }

  /** Records the scan's outcome in `tx`. */
  record(tx: Transaction, eventId: string, scan: OfflineScan, result: RecordedScan): void {
    tx.create(this.ref(eventId, scan), {
      deviceId: scan.deviceId,
      scannedAt: Timestamp.fromDate(scan.scannedAt),
      outcome: result.outcome,
      ...(result.ticketId === undefined ? {} : { ticketId: result.ticketId }),
      ...(result.checkedInAt === undefined ? {} : { checkedInAt: Timestamp.fromDate(result.checkedInAt) }),
    });
  }

  private ref(eventId: string, scan: OfflineScan) {
    // The instant, not its text: one scan sent with two offsets is still one scan.
    const key = createHash('sha256')
      .update(JSON.stringify([scan.deviceId, scan.code, scan.scannedAt.getTime()]))
      .digest('hex');
    return this.db.collection('events').doc(eventId).collection('checkInScans').doc(key);
  }
}
