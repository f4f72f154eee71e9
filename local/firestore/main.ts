import { parseArgs } from 'node:util';
import { startFirestoreEmulator } from './server';

/**
 * Command line entry point:
 *   tsx local/firestore/main.ts --host 127.0.0.1 --port 8080 --commit-latency-ms 0
 * Prints one line, "firestore emulator ready on HOST:PORT", once it listens; stops on SIGTERM or SIGINT.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '8080' },
      'commit-latency-ms': { type: 'string', default: '0' },
      'transaction-idle-timeout-ms': { type: 'string' },
      'lock-wait-timeout-ms': { type: 'string' },
    },
  });
  const number = (name: string, text: string | undefined): number | undefined => {
    if (text === undefined) return undefined;
    const value = Number(text);
    if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} must be a non-negative integer`);
    return value;
  };
  const emulator = await startFirestoreEmulator({
    host: values.host,
    port: number('port', values.port),
    commitLatencyMs: number('commit-latency-ms', values['commit-latency-ms']),
    transactionIdleTimeoutMs: number('transaction-idle-timeout-ms', values['transaction-idle-timeout-ms']),
    lockWaitTimeoutMs: number('lock-wait-timeout-ms', values['lock-wait-timeout-ms']),
  });
  console.log(`firestore emulator ready on ${emulator.address}`);
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
