import { type handleBidiStreamingCall, Metadata, status } from '@grpc/grpc-js';
import type { ListenRequest, ListenResponse } from './wire';

const NOT_EMULATED = 'Listen (onSnapshot) is not emulated yet; read with get() instead.';

/**
 * Listen until it is emulated: every target a client adds is removed at once, with an UNIMPLEMENTED cause,
 * so that onSnapshot's error callback fires. Failing the call itself with UNIMPLEMENTED does not reach the
 * callback: the Node.js SDK sees the stream end before the status, takes that for a retryable "Stream ended
 * unexpectedly" and re-opens the stream with backoff for ever (Watch in @google-cloud/firestore), whereas a
 * REMOVE target change with a cause closes the listener with that error.
 */
export const listenNotEmulated: handleBidiStreamingCall<ListenRequest, ListenResponse> = (call) => {
  call.sendMetadata(new Metadata());
  call.on('data', (request: ListenRequest) => {
    const targetId = request.addTarget?.targetId;
    if (targetId === undefined) return;
    call.write({
      targetChange: {
        targetChangeType: 'REMOVE',
        targetIds: [targetId],
        cause: { code: status.UNIMPLEMENTED, message: NOT_EMULATED },
      },
    });
  });
  call.on('end', () => call.end());
};
