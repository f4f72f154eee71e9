import { Timestamp, type Firestore, type Transaction } from 'firebase-admin/firestore';
import type { PaymentChange } from '../payments/payment';

/** Audit entries live in `auditLog/{autoId}`; `firestore.rules` denies every client access. */
export const AUDIT_LOG_COLLECTION = 'auditLog';

/** Who made a change: a signed-in caller, Stripe through a webhook event, or a background job. */
export type AuditActor =
  | { readonly kind: 'admin'; readonly uid: string; readonly companyId: string }
  | { readonly kind: 'user'; readonly uid: string }
  | { readonly kind: 'stripe'; readonly stripeEventId: string }
  /** A background job acting on an earlier decision (an event's cancellation), named by the job. */
  | { readonly kind: 'job'; readonly job: string };

/** The admin actions and payment state changes the audit trail records. */
export type AuditAction = 'event.created' | 'event.updated' | 'event.cancelled' | PaymentChange;

/** A value of an entry's details: what Firestore stores as-is (dates as ISO strings). */
export type AuditValue =
  string | number | boolean | null | readonly AuditValue[] | { readonly [key: string]: AuditValue };

/** The documents an entry is about; only the ids that apply are set. */
export interface AuditTarget {
  readonly companyId?: string;
  readonly eventId?: string;
  readonly bookingId?: string;
  readonly paymentId?: string;
}

/** One audit entry before it is stored. Never put card data, client secrets or tokens in `details`. */
export interface AuditEntry {
  readonly action: AuditAction;
  readonly actor: AuditActor;
  readonly target: AuditTarget;
  /** A small before/after or summary of the change. */
  readonly details: { readonly [key: string]: AuditValue };
}

/**
 * The append-only audit trail of admin actions and payment state changes. An entry is created in the same
 * transaction as the change it records, so a committed change always has its entry and an aborted or
 * retried attempt leaves none. Entries have random ids (a hot event's payments never queue on one
 * document) and are created with a precondition that they do not exist; nothing in the code updates or
 * deletes them.
 */
export class AuditLog {
  constructor(private readonly db: Firestore) {}

  /** Adds `entry` at `at` to the writes of `tx` (writes only). */
  record(tx: Transaction, entry: AuditEntry, at: Date): void {
    const target = Object.fromEntries(Object.entries(entry.target).filter(([, id]) => id !== undefined));
    tx.create(this.db.collection(AUDIT_LOG_COLLECTION).doc(), {
      at: Timestamp.fromDate(at),
      action: entry.action,
      actor: entry.actor,
      target,
      details: entry.details,
    });
  }
}
