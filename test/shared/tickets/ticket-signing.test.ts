import {
  generateTicketKey,
  isQr,
  TicketSigner,
  TicketVerifier,
} from '../../../shared/tickets/ticket-signing';

const current = generateTicketKey('k2');
const retired = generateTicketKey('k1');

function segments(qr: string): [string, string, string] {
  const [prefix = '', payload = '', signature = ''] = qr.split('.');
  return [prefix, payload, signature];
}

describe('ticket QR strings', () => {
  const signer = new TicketSigner(current.privateKey);
  const verifier = new TicketVerifier([current.publicKey, retired.publicKey]);

  it('are EMT1.<payload>.<signature> with the ticket, event and key ids, and verify against the public key', () => {
    const qr = signer.qr('t1', 'e1');
    const [prefix, payload] = segments(qr);
    expect(prefix).toBe('EMT1');
    expect(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'))).toEqual({
      tid: 't1',
      eid: 'e1',
      kid: 'k2',
    });
    expect(verifier.verify(qr)).toEqual({ tid: 't1', eid: 'e1', kid: 'k2' });
    expect(isQr(qr)).toBe(true);
    expect(isQr('Zm9vYmFyYmF6cXV4cXV1eA')).toBe(false);
  });

  it('are the same string whenever the same ticket is signed with the same key', () => {
    expect(signer.qr('t1', 'e1')).toBe(signer.qr('t1', 'e1'));
  });

  it('verify when signed by a retired key that is still published, and not once it is removed', () => {
    const old = new TicketSigner(retired.privateKey).qr('t1', 'e1');
    expect(verifier.verify(old)?.kid).toBe('k1');
    expect(new TicketVerifier([current.publicKey]).verify(old)).toBeUndefined();
  });

  it('do not verify when altered, re-signed by another key or malformed', () => {
    const [prefix, payload, signature] = segments(signer.qr('t1', 'e1'));
    const otherPayload = segments(signer.qr('t2', 'e1'))[1];
    const bytes = Buffer.from(signature, 'base64url');
    bytes[0] = (bytes[0] ?? 0) ^ 0xff;
    const stranger = generateTicketKey('k2');
    const impostor = new TicketSigner(stranger.privateKey).qr('t1', 'e1');
    for (const forged of [
      `${prefix}.${otherPayload}.${signature}`,
      `${prefix}.${payload}.${bytes.toString('base64url')}`,
      impostor,
      `EMT2.${payload}.${signature}`,
      `${prefix}.${payload}`,
      `${prefix}.${payload}.${signature}.x`,
      `${prefix}.${Buffer.from('not json').toString('base64url')}.${signature}`,
      `${prefix}.!!.${signature}`,
    ]) {
      expect(verifier.verify(forged)).toBeUndefined();
    }
  });

  it('refuse a signing key whose public part is not its own', () => {
    expect(() => new TicketSigner({ ...current.privateKey, x: retired.publicKey.x })).toThrow(/not its own/);
  });
});
