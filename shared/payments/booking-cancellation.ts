import type { BookingResponse } from '../bookings/booking';
import type { CancelBookingOutcome } from '../bookings/booking-outcomes';
import { BookingRepository } from '../bookings/booking-repository';
import { bookingService } from '../bookings/booking-services';
import { firestore } from '../firebase/firestore';

/**
 * What `cancelBooking` came to: a hold cancelled or refused as the booking service decides, or a refund
 * under way. The refund path's refusals are the refund service's typed errors.
 */
export type CancelOrRefundOutcome =
  CancelBookingOutcome | { readonly kind: 'refund-requested'; readonly booking: BookingResponse };

/**
 * `cancelBooking`'s use case: a held booking is cancelled by the booking engine, a confirmed one is refunded.
 * Both re-check the state in their own transaction; this read only picks the path. The refund path is
 * imported lazily so that cancelling a hold never loads the Stripe SDK.
 */
export async function cancelOrRefundBooking(
  userId: string,
  bookingId: string,
): Promise<CancelOrRefundOutcome> {
  const current = await new BookingRepository(firestore()).find(bookingId);
  if (current?.userId === userId && current.status === 'confirmed') {
    const { refundService } = await import('./refund-services');
    const { booking } = await refundService().refundBooking(userId, bookingId);
    return { kind: 'refund-requested', booking };
  }
  return bookingService().cancelBooking(userId, bookingId);
}
