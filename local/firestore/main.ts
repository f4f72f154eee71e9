import { parseArgs } from 'node:util';
import { integerFlag, runUntilSignalled } from '../cli';
import { parseCommitFaults } from './faults';
import { startFirestoreEmulator } from './server';

/*
 * Command line entry point:
 *   tsx local/firestore/main.ts --host 127.0.0.1 --port 8080 --commit-latency-ms 0
 * Prints one line, "firestore emulator ready on HOST:PORT", once it listens; stops on SIGTERM or SIGINT.
 */
runUntilSignalled(
  async () => {
    const { values } = parseArgs({
      options: {
        host: { type: 'string', default: '127.0.0.1' },
        port: { type: 'string', default: '8080' },
        'commit-latency-ms': { type: 'string', default: '0' },
        'transaction-idle-timeout-ms': { type: 'string' },
        'lock-wait-timeout-ms': { type: 'string' },
        'commit-faults': { type: 'string' },
      },
    });
    return startFirestoreEmulator({
      host: values.host,
      port: integerFlag('port', values.port),
      commitLatencyMs: integerFlag('commit-latency-ms', values['commit-latency-ms']),
      transactionIdleTimeoutMs: integerFlag(
        'transaction-idle-timeout-ms',
        values['transaction-idle-timeout-ms'],
      ),
      lockWaitTimeoutMs: integerFlag('lock-wait-timeout-ms', values['lock-wait-timeout-ms']),
      commitFaults: values['commit-faults'] === undefined ? [] : parseCommitFaults(values['commit-faults']),
    });
  },
  (emulator) => `firestore emulator ready on ${emulator.address}`,
);
