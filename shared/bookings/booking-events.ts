import type { DomainEvent, DomainEventName } from '../logging/domain-events';
import type { Booking } from './booking';

type BookingEventName = Extract<DomainEventName, `booking.${string}`>;

/**
 * The domain event of a change to `booking`, given as it was before the change (so its status is the
 * `from` state; a new hold has none). `paymentId` names the payment involved, if any.
 */
export function bookingEvent(name: BookingEventName, booking: Booking, paymentId?: string): DomainEvent {
  return {
    name,
    fields: {
      bookingId: booking.id,
      eventId: booking.eventId,
      userId: booking.userId,
      quantity: booking.quantity,
      amount: booking.total,
      currency: booking.currency,
      ...(paymentId === undefined ? {} : { paymentId }),
      ...(name === 'booking.held' ? {} : { from: booking.status }),
    },
  };
}
