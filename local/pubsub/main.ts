import { parseArgs } from 'node:util';
import { startPubSubEmulator } from './server';

/**
 * Command line entry point:
 *   tsx local/pubsub/main.ts --host 127.0.0.1 --port 8085 --backoff-scale 1
 * Prints one line, "pubsub emulator ready on HOST:PORT", once it listens; stops on SIGTERM or SIGINT.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '8085' },
      'backoff-scale': { type: 'string', default: '1' },
    },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new Error('--port must be a TCP port number');
  const backoffScale = Number(values['backoff-scale']);
  if (!Number.isFinite(backoffScale) || backoffScale < 0) {
    throw new Error('--backoff-scale must be a non-negative number');
  }
  const emulator = await startPubSubEmulator({ host: values.host, port, backoffScale });
  console.log(`pubsub emulator ready on ${emulator.address}`);
  const stop = () => {
    emulator.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
