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

function targetOf(payment: Payment, booking: PaidBooking) {
  return {
    companyId: booking.companyId,
    eventId: booking.eventId,
    bookingId: booking.id,
    paymentId: payment.id,
  };
}

/** Why a payment moved, when it is not the obvious consequence of the event: kept in the audit entry. */
export type ChangeDetails = { readonly [key: string]: AuditValue };

function auditAndEvent(
  recorder: PaymentChangeRecorder,
  tx: Transaction,
  change: {
    payment: Payment;
    booking: PaidBooking;
    from: PaymentStatus | null;
    to: PaymentStatus;
    details?: ChangeDetails;
  },
  actor: AuditActor,
  now: Date,
): DomainEvent {
  const { payment, booking, from, to } = change;
  const action = actionOf(to);
  recorder.audit.record(
    tx,
    {
      action,
      actor,
      target: targetOf(payment, booking),
      details: {
        from,
        to,
        attempt: payment.attempt,
        amount: payment.amount,
        currency: payment.currency,
        ...change.details,
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
      amount: payment.amount,
      currency: payment.currency,
      ...(from === null ? {} : { from }),
    },
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
  return auditAndEvent(
    recorder,
    tx,
    { payment, booking, from: null, to: payment.status },
    actor,
    payment.createdAt,
  );
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
  return auditAndEvent(recorder, tx, { ...change, from: change.payment.status }, actor, now);
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
  const action = 'payment.partially_refunded';
  recorder.audit.record(
    tx,
    {
      action,
      actor,
      target: targetOf(payment, booking),
      details: {
        attempt: payment.attempt,
        amount: payment.amount,
        currency: payment.currency,
        refundedBefore: before,
        refundedAmount: after,
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
      amount: after - before,
      currency: payment.currency,
    },
  };
}
