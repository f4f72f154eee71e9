import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { functionRegistry } from '../../../functions/index';
import { createSignedInUser } from '../../support/auth-users';
import { adminFirestore } from '../../support/firestore-admin';
import { callFunction } from '../../support/http-client';

const UNSUPPORTED = 'https://errors.event-manager.dev/unsupported-media-type';

function registration(username: string): string {
  return JSON.stringify({
    name: 'Ada Lovelace',
    username,
    countryCode: 'GB',
    phoneNumber: '+44 20 7946 0000',
    role: 'user',
  });
}

describe('request bodies with a Content-Encoding', () => {
  it.each(functionRegistry.map((registered) => registered.name))(
    '%s answers 415 problem+json to plain JSON labelled gzip',
    async (name) => {
      const response = await callFunction(name, {
        method: 'POST',
        rawBody: '{"plain":"json"}',
        headers: { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' },
      });
      expect(response.status).toBe(415);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(response.body).toMatchObject({ type: UNSUPPORTED, status: 415 });
    },
  );

  const body = Buffer.from(registration('encoded'));
  it.each<[string, string, Uint8Array]>([
    ['a valid gzip body', 'gzip', gzipSync(body)],
    ['a truncated gzip body', 'gzip', gzipSync(body).subarray(0, 12)],
    ['garbage labelled deflate', 'deflate', Buffer.from('not deflate at all')],
    ['garbage labelled br', 'br', Buffer.from([0xff, 0x00, 0x13, 0x37])],
    ['a valid br body labelled in upper case', 'BR', brotliCompressSync(body)],
    ['a valid deflate body', 'deflate', deflateSync(body)],
    ['an encoding nobody decodes', 'compress', body],
    ['two encodings', 'gzip, identity', gzipSync(body)],
  ])('register refuses %s with 415 and registers nobody', async (_case, encoding, rawBody) => {
    const account = await createSignedInUser();
    const response = await callFunction('register', {
      method: 'POST',
      token: account.idToken,
      rawBody,
      headers: { 'Content-Type': 'application/json', 'Content-Encoding': encoding },
    });
    expect(response.status).toBe(415);
    expect(response.body).toMatchObject({ type: UNSUPPORTED });
    expect((await adminFirestore().collection('users').doc(account.uid).get()).exists).toBe(false);
  });

  it('serves a body labelled identity as usual', async () => {
    const account = await createSignedInUser();
    const response = await callFunction('register', {
      method: 'POST',
      token: account.idToken,
      rawBody: registration(`identity${Date.now().toString(36)}${process.pid}`),
      headers: { 'Content-Type': 'application/json', 'Content-Encoding': 'identity' },
    });
    expect(response.status).toBe(201);
  });
});
