import { createServer } from 'node:http';
import { boundPort } from '../local/ports';

/** A running metadata stand-in and the environment that points Google's auth library at it. */
export interface MetadataStandIn {
  readonly env: Readonly<Record<string, string>>;
  stop(): Promise<void>;
}

/**
 * Stands in for a Cloud Functions instance's metadata server, where Google's auth library gets the
 * instance's access token. Firestore's REST transport asks for one even when it talks to an emulator
 * (googleapis/nodejs-firestore#1811); in production it comes from this same server, so a benchmark of
 * that transport's cold start pays the same local round trip. Answers every token request with a token
 * valid for an hour, and nothing else.
 */
export async function startMetadataStandIn(): Promise<MetadataStandIn> {
  const server = createServer((req, res) => {
    res.setHeader('Metadata-Flavor', 'Google');
    if (
      req.headers['metadata-flavor'] !== 'Google' ||
      !req.url?.includes('/service-accounts/default/token')
    ) {
      res.writeHead(404).end();
      return;
    }
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ access_token: 'owner', expires_in: 3600, token_type: 'Bearer' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    env: {
      GCE_METADATA_HOST: `127.0.0.1:${boundPort(server)}`,
      // As on an instance: no probe of whether a metadata server exists.
      METADATA_SERVER_DETECTION: 'assume-present',
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
