/** Names the local functions server reads to route FCM to the stand-in (never set in production). */
export const LOCAL_FCM_STAND_IN_VARIABLE = 'LOCAL_FCM_STAND_IN';

/**
 * The environment that makes the functions process reach the FCM stand-in at `address` (`host:port`):
 * Google's auth library takes it for the GCE metadata server (access tokens), and the local functions
 * server routes FCM's host to it. Only the functions process gets it: elsewhere the local cloud tells the
 * library that there is no metadata server.
 */
export function fcmStandInEnvironment(address: string): Record<string, string> {
  return {
    [LOCAL_FCM_STAND_IN_VARIABLE]: address,
    GCE_METADATA_HOST: address,
    METADATA_SERVER_DETECTION: 'assume-present',
  };
}
