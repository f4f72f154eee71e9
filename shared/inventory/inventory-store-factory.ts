import { firestore } from '../firebase/firestore';
import { FirestoreInventoryStore } from './firestore-inventory-store';
import type { TicketInventory } from './inventory-store';

let store: TicketInventory | undefined;

/**
 * The process-wide event inventory (Firestore, production sharding policy), created on first use. Its type
 * extends `InventoryStore`, which is all the events service needs.
 */
export function inventoryStore(): TicketInventory {
  store ??= new FirestoreInventoryStore(firestore());
  return store;
}
