import type { Transaction } from 'firebase-admin/firestore';
import type { TicketInventory } from '../inventory/inventory-store';
import { smallestWaiting } from './offer-rule';
import type { WaitlistGate } from './waitlist-entry';

/** Reads an event's waitlist gate in a transaction; `book` and `joinWaitlist` depend on this only. */
export interface WaitlistGateReader {
  gateIn(tx: Transaction, eventId: string): Promise<WaitlistGate>;
}

/**
 * Whether the free tickets of the event are kept for its waitlist, in `tx`, knowing that at least `freeAtLeast`
 * are free (the caller has just reserved that many): some waiting entry fits them. When the smallest
 * waiting entry asks for more than that, it reads whether that many are free too; with nobody waiting it
 * reads nothing more, so a sale without a waitlist pays for the gate read only.
 */
export async function keptForWaitlistIn(
  tx: Transaction,
  inventory: Pick<TicketInventory, 'prepareReservation'>,
  gate: WaitlistGate,
  freeAtLeast: number,
): Promise<boolean> {
  const smallest = smallestWaiting(gate.waiting);
  if (smallest === undefined) return false;
  if (smallest <= freeAtLeast) return true;
  return (await inventory.prepareReservation(tx, gate.eventId, smallest)) !== undefined;
}
