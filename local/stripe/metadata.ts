import type Stripe from 'stripe';
import { parameterInvalid } from './errors';
import type { Params } from './params';

const MAX_KEYS = 50;
const MAX_KEY_LENGTH = 40;
const MAX_VALUE_LENGTH = 500;

/**
 * A `metadata` parameter as Stripe applies it: `null` clears everything (`metadata=`); otherwise each key is
 * set, or removed when its value is empty (`metadata[key]=`).
 */
export type MetadataUpdate = null | ReadonlyMap<string, string | null>;

/** Reads and checks `metadata` against Stripe's documented limits; `undefined` when absent. */
export function readMetadata(params: Params): MetadataUpdate | undefined {
  if (params.value('metadata') === '') return null;
  const nested = params.nested('metadata');
  if (!nested) return undefined;
  const update = new Map<string, string | null>();
  for (const [key, value] of nested.entries()) {
    const name = nested.name(key);
    if (typeof value !== 'string')
      throw parameterInvalid(name, `Invalid value for ${name}: must be a string`);
    if (key.length > MAX_KEY_LENGTH) {
      throw parameterInvalid(name, `Metadata keys can be up to ${MAX_KEY_LENGTH} characters long: ${key}`);
    }
    if (value.length > MAX_VALUE_LENGTH) {
      throw parameterInvalid(name, `Metadata values can be up to ${MAX_VALUE_LENGTH} characters long.`);
    }
    update.set(key, value === '' ? null : value);
  }
  return update;
}

/** The metadata after an update, checked against the key limit that applies to the result. */
export function applyMetadata(current: Stripe.Metadata, update: MetadataUpdate | undefined): Stripe.Metadata {
  if (update === undefined) return current;
  if (update === null) return {};
  const result = new Map(Object.entries(current));
  for (const [key, value] of update) {
    if (value === null) result.delete(key);
    else result.set(key, value);
  }
  if (result.size > MAX_KEYS) throw parameterInvalid('metadata', `Metadata can have up to ${MAX_KEYS} keys.`);
  // fromEntries defines own properties, so a key such as "__proto__" stays an ordinary key.
  return Object.fromEntries(result);
}
