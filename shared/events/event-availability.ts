import type { Availability, InventoryStore } from '../inventory/inventory-store';

/**
 * The availability of each event, by id. Every event gets its inventory in the transaction that creates
 * it, so a missing one is a broken invariant (an infrastructure fault), not a state to paper over.
 */
export async function availabilityOf(
  inventory: InventoryStore,
  eventIds: readonly string[],
): Promise<ReadonlyMap<string, Availability>> {
  const found = await inventory.availability(eventIds);
  const missing = eventIds.filter((id) => !found.has(id));
  if (missing.length > 0) throw new Error(`Events without inventory: ${missing.join(', ')}`);
  return found;
}

/** The entry of `availability` for `eventId`, which {@link availabilityOf} guarantees. */
export function availabilityIn(
  availability: ReadonlyMap<string, Availability>,
  eventId: string,
): Availability {
  const found = availability.get(eventId);
  if (found === undefined) throw new Error(`No availability for event ${eventId}`);
  return found;
}
