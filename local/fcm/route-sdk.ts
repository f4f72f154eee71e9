import https from 'node:https';
import { connect, type NetConnectOpts } from 'node:net';
import type { Duplex } from 'node:stream';
import { getMessaging } from 'firebase-admin/messaging';
import { firebaseApp } from '../../shared/firebase/app';

/** The host the Admin SDK sends FCM messages to (hard-wired in `firebase-admin/messaging`). */
const FCM_HOST = 'fcm.googleapis.com';

/**
 * An HTTPS agent that opens connections for {@link FCM_HOST} to the stand-in, in plain HTTP, and every
 * other connection as usual.
 */
class FcmStandInAgent extends https.Agent {
  constructor(private readonly standIn: { host: string; port: number }) {
    super({ keepAlive: true });
  }

  override createConnection(
    options: NetConnectOpts & { host?: string },
    callback?: (error: Error | null, stream: Duplex) => void,
  ): Duplex | null | undefined {
    if (options.host === FCM_HOST) return connect({ host: this.standIn.host, port: this.standIn.port });
    return super.createConnection(options, callback);
  }
}

/**
 * Points `firebase-admin/messaging` of this process at the local FCM stand-in (`host:port`), without the
 * production code knowing: HTTPS connections to FCM go to the stand-in through Node's global HTTPS agent, and
 * the process's Firebase app sends over the SDK's HTTP/1.1 transport, the one that uses that agent (its
 * HTTP/2 transport dials fcm.googleapis.com itself). The access token comes from the stand-in too, as
 * the metadata server (`GCE_METADATA_HOST`, set by the local cloud). Called by the local functions server
 * before any function loads; see docs/local-fcm-stand-in.md.
 */
export function routeFirebaseMessagingTo(address: string): void {
  const [host = '127.0.0.1', port = ''] = address.split(':');
  https.globalAgent = new FcmStandInAgent({ host, port: Number(port) });
  getMessaging(firebaseApp()).enableLegacyHttpTransport();
}
