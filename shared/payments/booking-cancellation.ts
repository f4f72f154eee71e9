import type { BookingResponse } from '../bookings/booking';
import { BookingRepository } from '../bookings/booking-repository';
import { bookingService } from '../bookings/booking-services';
import { firestore } from '../firebase/firestore';

/**
 * `cancelBooking`'s use case: a held booking is cancelled by the booking engine, a confirmed one is refunded.
 * Both re-check the state in their own transaction; this read only picks the path. The refund path is
 * imported lazily so that cancelling a hold never loads the Stripe SDK.
 */
export async function cancelOrRefundBooking(
  userId: string,
  bookingId: string,
): Promise<{ booking: BookingResponse }> {
  const current = await new BookingRepository(firestore()).find(bookingId);
  if (current?.userId === userId && current.status === 'confirmed') {
    const { refundService } = await import('./refund-services');
    return refundService().refundBooking(userId, bookingId);
  }
  return bookingService().cancelBooking(userId, bookingId);
}
