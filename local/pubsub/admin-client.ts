import { callAdminMethod } from '../grpc/admin-call';
import { loadAdminService } from './proto';
import type { DeliveryFaultSettingsInput } from './delivery-faults';
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

/**
 * Replaces the delivery faults of a running emulator (docs/local-pubsub-emulator.md, Delivery faults):
 * duplicates of acknowledged deliveries and delayed deliveries, seeded; `{}` turns them off.
 */
export function setPubSubDeliveryFaults(address: string, faults: DeliveryFaultSettingsInput): Promise<void> {
  return callAdminMethod<WireDeliveryFaults>(address, loadAdminService(), 'SetDeliveryFaults', faults);
}
