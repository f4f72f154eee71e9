import type { UntypedServiceImplementation } from '@grpc/grpc-js';
import type { Broker } from './broker';
import { unary } from './grpc';
import { parseProjectName } from './names';
import type { ResetPubSubRequest } from './wire';

/** Handlers for eventmanager.emulator.PubSubAdmin. */
export function adminHandlers(broker: Broker): UntypedServiceImplementation {
  return {
    Reset: unary((request: ResetPubSubRequest) => {
      broker.reset(request.project ? parseProjectName(request.project) : undefined);
      return {};
    }),
  };
}
