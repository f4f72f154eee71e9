import type { Availability } from '../inventory/inventory-store';

/** The two prices of an event, in minor units. */
export interface TierPrices {
  readonly basePrice: number;
  readonly surgePrice: number;
}

/**
 * The price of the next ticket: the base price while base-tier tickets are left, the surge price after.
 * A sold-out event has no base-tier ticket left either, so it reports the surge price.
 */
export function currentPrice(prices: TierPrices, availability: Availability): number {
  return availability.baseAvailable > 0 ? prices.basePrice : prices.surgePrice;
}
