import type { Reservation } from '../inventory/ticket-reservation';

/** An event's prices in integer minor units. */
export interface TicketPrices {
  readonly basePrice: number;
  readonly surgePrice: number;
  readonly currency: string;
}

/** What a booking costs, fixed when its hold is created and charged exactly. */
export interface BookingPrice {
  /** One entry per ticket, base-price tickets first. */
  readonly unitPrices: readonly number[];
  readonly total: number;
  readonly currency: string;
}

/**
 * Prices a reservation ticket by ticket: the tickets it took from the base pool at `basePrice`, those from
 * the surge pool at `surgePrice`, so a booking that crosses the threshold pays each ticket's own price.
 */
export function priceReservation(
  reservation: Pick<Reservation, 'baseTickets' | 'surgeTickets'>,
  prices: TicketPrices,
): BookingPrice {
  const unitPrices = [
    ...Array.from({ length: reservation.baseTickets }, () => prices.basePrice),
    ...Array.from({ length: reservation.surgeTickets }, () => prices.surgePrice),
  ];
  return { unitPrices, total: unitPrices.reduce((sum, price) => sum + price, 0), currency: prices.currency };
}

/**
 * Whether the tickets of `reservation`, at today's `prices`, cost exactly what `paid` fixed ticket by
 * ticket: the only case in which a late payment may take them (surge seats are never sold at a base price,
 * nor base seats at a surge price).
 */
export function costsExactly(
  reservation: Pick<Reservation, 'baseTickets' | 'surgeTickets'>,
  prices: TicketPrices,
  paid: Pick<BookingPrice, 'unitPrices' | 'currency'>,
): boolean {
  const price = priceReservation(reservation, prices);
  return (
    price.currency === paid.currency &&
    price.unitPrices.length === paid.unitPrices.length &&
    price.unitPrices.every((unitPrice, index) => unitPrice === paid.unitPrices[index])
  );
}
