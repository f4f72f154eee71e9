import { useFirestoreEmulator } from './emulator-fixture';

const fixture = useFirestoreEmulator();

type FirstEvent = { kind: 'error'; message: string } | { kind: 'snapshot' | 'silence' };

/** What an onSnapshot listener reports first within `timeoutMs`: an error, a snapshot, or nothing. */
function firstEvent(
  listen: (onNext: () => void, onError: (error: Error) => void) => () => void,
  timeoutMs: number,
): Promise<FirstEvent> {
  return new Promise((resolve) => {
    const settle = (event: FirstEvent) => {
      clearTimeout(timer);
      unsubscribe();
      resolve(event);
    };
    const timer = setTimeout(() => settle({ kind: 'silence' }), timeoutMs);
    const unsubscribe = listen(
      () => settle({ kind: 'snapshot' }),
      (error) => settle({ kind: 'error', message: error.message }),
    );
  });
}

/*
 * Listen is not emulated yet; a listener must learn that at once. The SDK re-opens a Listen stream after
 * retryable failures for ever (Watch in @google-cloud/firestore), so the emulator removes each target with
 * an UNIMPLEMENTED cause, which the SDK hands to onSnapshot's error callback as "Error 12: ...". Google's
 * emulator implements Listen, so this stop-gap is tested on ours alone.
 */
describe('Firestore emulator: Listen, not emulated yet', () => {
  it('onSnapshot on a document or a query reports UNIMPLEMENTED to its error callback at once', async () => {
    await fixture.db.doc('watched/doc').set({ n: 1 });
    const onDocument = await firstEvent(
      (next, error) => fixture.db.doc('watched/doc').onSnapshot(next, error),
      5_000,
    );
    const onQuery = await firstEvent(
      (next, error) => fixture.db.collection('watched').where('n', '>', 0).onSnapshot(next, error),
      5_000,
    );
    // Retrying in silence would show as 'silence': the SDK re-opens a failed stream for ever.
    for (const event of [onDocument, onQuery]) {
      expect(event).toEqual({ kind: 'error', message: expect.stringMatching(/^Error 12: Listen/) });
    }
    // Reads still work on the same client afterwards.
    expect((await fixture.db.doc('watched/doc').get()).get('n')).toBe(1);
  }, 30_000);
});
