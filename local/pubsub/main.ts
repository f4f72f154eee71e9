import { parseArgs } from 'node:util';
import { integerFlag, numberFlag, runUntilSignalled } from '../cli';
import { parseDeliveryFaults } from './delivery-faults';
import { startPubSubEmulator } from './server';

/*
 * Command line entry point:
 *   tsx local/pubsub/main.ts --host 127.0.0.1 --port 8085 --backoff-scale 1 [--delivery-faults JSON]
 * Prints one line, "pubsub emulator ready on HOST:PORT", once it listens; stops on SIGTERM or SIGINT.
 */
runUntilSignalled(
  async () => {
    const { values } = parseArgs({
      options: {
        host: { type: 'string', default: '127.0.0.1' },
        port: { type: 'string', default: '8085' },
        'backoff-scale': { type: 'string', default: '1' },
        'delivery-faults': { type: 'string', default: '{}' },
      },
    });
    return startPubSubEmulator({
      host: values.host,
      port: integerFlag('port', values.port),
      backoffScale: numberFlag('backoff-scale', values['backoff-scale']),
      deliveryFaults: parseDeliveryFaults(values['delivery-faults']),
    });
  },
  (emulator) => `pubsub emulator ready on ${emulator.address}`,
);
