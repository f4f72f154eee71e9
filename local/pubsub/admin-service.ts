import type { UntypedServiceImplementation } from '@grpc/grpc-js';
import type { Broker } from './broker';
import { deliveryFaultSettingsSchema } from './delivery-faults';
import { invalidArgument } from './errors';
import { unary } from './grpc';
import { parseProjectName } from './names';
import type { ResetPubSubRequest, WireDeliveryFaults } from './wire';

/** Handlers for eventmanager.emulator.PubSubAdmin. */
export function adminHandlers(broker: Broker): UntypedServiceImplementation {
  return {
    Reset: unary((request: ResetPubSubRequest) => {
      broker.reset(request.project ? parseProjectName(request.project) : undefined);
      return {};
    }),
    SetDeliveryFaults: unary((request: WireDeliveryFaults) => {
      // proto3 cannot tell an empty string from an unset one: empty means every message.
      const parsed = deliveryFaultSettingsSchema.safeParse({
        ...request,
        dataContains: request.dataContains === '' ? undefined : request.dataContains,
      });
      if (!parsed.success) throw invalidArgument(`Invalid delivery faults: ${parsed.error.message}`);
      return broker.deliveryFaults.configure(parsed.data);
    }),
  };
}
