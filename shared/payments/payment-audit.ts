import type { Transaction } from 'firebase-admin/firestore';
import type { AuditActor, AuditLog, AuditValue } from '../audit/audit-log';
import type { Booking } from '../bookings/booking';
import type { DomainEvent } from '../logging/domain-events';
import type { Payment, PaymentChange, PaymentStatus } from './payment';
import type { PaymentRepository } from './payment-repository';

/** What recording a payment change needs: the payments and the audit trail. */
export interface PaymentChangeRecorder {
  readonly payments: PaymentRepository;
  readonly audit: AuditLog;
}

type PaidBooking = Pick<Booking, 'id' | 'eventId' | 'companyId'>;

function actionOf(status: PaymentStatus): PaymentChange {
  return status === 'requires_payment_method' ? 'payment.created' : `payment.${status}`;
}

/** Why a payment moved, when it is not the obvious consequence of the event: kept in the audit entry. */
export type ChangeDetails = { readonly [key: string]: AuditValue };

/** One audited fact about a payment: its action, what the audit entry adds, and what the log line says. */
interface AuditedFact {
  readonly payment: Payment;
  readonly booking: PaidBooking;
  readonly action: PaymentChange;
  readonly details: ChangeDetails;
  /** The domain event's amount: the payment's, or the money a refund gave back. */
  readonly amount: number;
  readonly from: PaymentStatus | null;
}

function auditAndEvent(
  recorder: PaymentChangeRecorder,
  tx: Transaction,
  fact: AuditedFact,
  actor: AuditActor,
  now: Date,
): DomainEvent {
  const { payment, booking, action, from } = fact;
  recorder.audit.record(
    tx,
    {
      action,
      actor,
      target: {
        companyId: booking.companyId,
        eventId: booking.eventId,
        bookingId: booking.id,
        paymentId: payment.id,
      },
      details: {
        attempt: payment.attempt,
        amount: payment.amount,
        currency: payment.currency,
        ...fact.details,
      },
    },
    now,
  );
  return {
    name: action,
    fields: {
      paymentId: payment.id,
      bookingId: booking.id,
      eventId: booking.eventId,
      userId: payment.userId,
      amount: fact.amount,
      currency: payment.currency,
      ...(from === null ? {} : { from }),
    },
  };
}

function statusChange(
  change: { payment: Payment; booking: PaidBooking; to: PaymentStatus; details?: ChangeDetails },
  from: PaymentStatus | null,
): AuditedFact {
  const { payment, booking, to } = change;
  return {
    payment,
    booking,
    action: actionOf(to),
    details: { from, to, ...change.details },
    amount: payment.amount,
    from,
  };
}

/**
 * Creates a payment attempt in `tx` with its audit entry. Returns the domain event to log once `tx` has
 * committed.
 */
export function createPayment(
  recorder: PaymentChangeRecorder,
  tx: Transaction,
  payment: Payment,
  booking: PaidBooking,
  actor: AuditActor,
): DomainEvent {
  recorder.payments.create(tx, payment);
  const created = statusChange({ payment, booking, to: payment.status }, null);
  return auditAndEvent(recorder, tx, created, actor, payment.createdAt);
}

/**
 * Moves a payment to `to` in `tx` with its audit entry: every state change of a payment goes through here,
 * so none escapes the audit trail. Returns the domain event to log once `tx` has committed.
 */
export function movePayment(
  recorder: PaymentChangeRecorder,
  tx: Transaction,
  change: { payment: Payment; booking: PaidBooking; to: PaymentStatus; details?: ChangeDetails },
  actor: AuditActor,
  now: Date,
): DomainEvent {
  recorder.payments.changeStatus(tx, change.payment.id, change.to, now);
  return auditAndEvent(recorder, tx, statusChange(change, change.payment.status), actor, now);
}

/**
 * Records in `tx` that Stripe refunded part of a payment, its refunds growing from `before` to `after` in
 * total: no state changes, but money left, so the audit trail has it. Returns the domain event to log once
 * `tx` has committed (its `amount` is what this refund gave back).
 */
export function recordPartialRefund(
  recorder: PaymentChangeRecorder,
  tx: Transaction,
  refund: { payment: Payment; booking: PaidBooking; before: number; after: number },
  actor: AuditActor,
  now: Date,
): DomainEvent {
  const { payment, booking, before, after } = refund;
  const fact: AuditedFact = {
    payment,
    booking,
    action: 'payment.partially_refunded',
    details: { refundedBefore: before, refundedAmount: after },
    amount: after - before,
    from: null,
  };
  return auditAndEvent(recorder, tx, fact, actor, now);
}
