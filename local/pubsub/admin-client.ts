import * as z from 'zod';
import { callAdminMethod, callAdminMethodFor } from '../grpc/admin-call';
import { loadAdminService } from './proto';
import type { DeliveryFaultSettingsInput, InjectedDeliveryFaults } from './delivery-faults';
import type { ResetPubSubRequest, WireDeliveryFaults } from './wire';

/**
 * Wipes a running emulator (possibly in another process) through its PubSubAdmin service: every project, or
 * only `project` (a project id). Open pulls and streams of the deleted subscriptions end with NOT_FOUND.
 */
export function resetPubSubEmulator(address: string, project?: string): Promise<void> {
  return callAdminMethod<ResetPubSubRequest>(address, loadAdminService(), 'Reset', {
    project: project ? `projects/${project}` : '',
  });
}

/** proto3 leaves zero counts out of the answer. */
const injectedCounts = z.object({
  duplicated: z.number().int().default(0),
  delayed: z.number().int().default(0),
});

/**
 * Replaces the delivery faults of a running emulator (docs/local-pubsub-emulator.md, Delivery faults):
 * duplicates of acknowledged deliveries and delayed deliveries, seeded; `{}` turns them off. Answers how
 * many deliveries the replaced settings duplicated and delayed.
 */
export async function setPubSubDeliveryFaults(
  address: string,
  faults: DeliveryFaultSettingsInput,
): Promise<InjectedDeliveryFaults> {
  return injectedCounts.parse(
    await callAdminMethodFor<WireDeliveryFaults>(address, loadAdminService(), 'SetDeliveryFaults', faults),
  );
}
