import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import * as z from 'zod';

/** Version prefix of every ticket QR string; a new format would get a new prefix. */
export const QR_PREFIX = 'EMT1';

const base64url = z.string().regex(/^[A-Za-z0-9_-]+$/, 'not base64url');

/** A key id: short, URL-safe, so that it fits a QR payload and a log line. */
export const keyIdSchema = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'not a key id');

/** A public Ed25519 key as `GET /ticketKeys` publishes it (RFC 8037 JWK). */
export const publicTicketKeySchema = z.strictObject({
  kid: keyIdSchema,
  kty: z.literal('OKP'),
  crv: z.literal('Ed25519'),
  x: base64url.length(43),
});

/** The signing key: the public JWK plus its private part `d`, as stored in Secret Manager. */
export const privateTicketKeySchema = z.strictObject({
  ...publicTicketKeySchema.shape,
  d: base64url.length(43),
});

/** A public ticket key (JWK). */
export type PublicTicketKey = z.infer<typeof publicTicketKeySchema>;

/** The private ticket signing key (JWK with `d`). */
export type PrivateTicketKey = z.infer<typeof privateTicketKeySchema>;

/**
 * A fresh Ed25519 signing key named `kid`: what the local cloud makes at every start, and what
 * `npm run ticket-key` prints for a deployment's Secret Manager (docs/check-in.md, key rotation).
 */
export function generateTicketKey(kid: string): { privateKey: PrivateTicketKey; publicKey: PublicTicketKey } {
  const jwk = generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' });
  const privateKey = privateTicketKeySchema.parse({ kid, kty: jwk.kty, crv: jwk.crv, x: jwk.x, d: jwk.d });
  const { d: _d, ...publicKey } = privateKey;
  return { privateKey, publicKey };
}

/** What a ticket's QR string says, once its signature is checked. */
export interface QrPayload {
  readonly tid: string;
  readonly eid: string;
  readonly kid: string;
}

const qrPayloadSchema = z.strictObject({ tid: z.string().min(1), eid: z.string().min(1), kid: keyIdSchema });

/** Whether `code` is a QR string rather than a ticket's plain code (codes never contain a dot). */
export function isQr(code: string): boolean {
  return code.startsWith(`${QR_PREFIX}.`);
}

/** Signs tickets with the deployment's current key; only the functions that issue tickets hold one. */
export class TicketSigner {
  private readonly privateKey: KeyObject;

  /** @throws Error when the JWK's `d` and `x` are not one Ed25519 key pair. */
  constructor(private readonly key: PrivateTicketKey) {
    this.privateKey = createPrivateKey({ key: { ...key }, format: 'jwk' });
    const derived = createPublicKey(this.privateKey).export({ format: 'jwk' });
    if (derived.x !== key.x)
      throw new Error(`The ticket signing key ${key.kid} has an "x" that is not its own.`);
  }

  /** The key id that {@link qr} writes into its payloads. */
  get kid(): string {
    return this.key.kid;
  }

  /**
   * The QR string of ticket `ticketId` of event `eventId`: `EMT1.<payload>.<signature>`. Ed25519 is
   * deterministic, so signing the same ticket with the same key always gives the same string.
   */
  qr(ticketId: string, eventId: string): string {
    const payload = Buffer.from(
      JSON.stringify({ tid: ticketId, eid: eventId, kid: this.key.kid } satisfies QrPayload),
    ).toString('base64url');
    const signed = `${QR_PREFIX}.${payload}`;
    return `${signed}.${sign(null, Buffer.from(signed, 'ascii'), this.privateKey).toString('base64url')}`;
  }
}

/** Checks QR strings against the published public keys. */
export class TicketVerifier {
  private readonly keys: ReadonlyMap<string, KeyObject>;

  constructor(keys: readonly PublicTicketKey[]) {
    this.keys = new Map(keys.map((key) => [key.kid, createPublicKey({ key: { ...key }, format: 'jwk' })]));
  }

  /**
   * The payload of a QR string signed by one of the keys; undefined for anything else (wrong prefix,
   * malformed payload, unknown key id, altered payload or signature), never saying which.
   */
  verify(qr: string): QrPayload | undefined {
    const parts = qr.split('.');
    if (parts.length !== 3 || parts[0] !== QR_PREFIX) return undefined;
    const [, payload = '', signature = ''] = parts;
    if (!base64url.safeParse(payload).success || !base64url.safeParse(signature).success) return undefined;
    const decoded = qrPayloadSchema.safeParse(parseJson(Buffer.from(payload, 'base64url').toString('utf8')));
    if (!decoded.success) return undefined;
    const key = this.keys.get(decoded.data.kid);
    if (key === undefined) return undefined;
    const valid = verify(
      null,
      Buffer.from(`${QR_PREFIX}.${payload}`, 'ascii'),
      key,
      Buffer.from(signature, 'base64url'),
    );
    return valid ? decoded.data : undefined;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
