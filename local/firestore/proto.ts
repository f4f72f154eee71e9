import path from 'node:path';
import { loadService, once } from '../grpc/proto-services';

/** The .proto files that ship with the Firestore SDK: the same API definition the client speaks. */
function firestoreProtosDirectory(): string {
  const sdkEntry = require.resolve('@google-cloud/firestore');
  return path.join(path.dirname(sdkEntry), '..', 'protos');
}

/** google.firestore.v1.Firestore, loaded from the SDK's protos. */
export const loadFirestoreService = once(() =>
  loadService(
    'google/firestore/v1/firestore.proto',
    [firestoreProtosDirectory()],
    'google.firestore.v1.Firestore',
  ),
);

/** The emulator's own reset service (admin.proto next to this file). */
export const loadAdminService = once(() =>
  loadService(path.join(__dirname, 'admin.proto'), [], 'eventmanager.emulator.EmulatorAdmin'),
);
