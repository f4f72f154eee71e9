import { parameterInvalid, parameterMissing, parameterUnknown } from './errors';
import { listOf, renderName, type FormMap, type FormValue } from './form';

/**
 * Typed, validated access to one level of request parameters, answering bad input with the errors Stripe
 * gives (unknown parameter, missing parameter, invalid integer, ...). `path` names nested levels in errors.
 */
export class Params {
  constructor(
    private readonly map: FormMap,
    private readonly path: readonly string[] = [],
  ) {}

  /** Rejects any parameter outside `allowed`, as Stripe does, so that a typo never goes unnoticed. */
  only(allowed: readonly string[]): this {
    for (const key of this.map.keys()) {
      if (!allowed.includes(key)) throw parameterUnknown(this.name(key));
    }
    return this;
  }

  /** The parameter as sent: a string, a nested map, or `undefined` when absent. */
  value(key: string): FormValue | undefined {
    return this.map.get(key);
  }

  /** A string parameter; `undefined` when absent. */
  string(key: string): string | undefined {
    const value = this.map.get(key);
    if (value === undefined || typeof value === 'string') return value;
    throw parameterInvalid(this.name(key), `Invalid string: ${this.name(key)} must be a string, not a hash`);
  }

  /** A string parameter that must be present and non-empty. */
  requiredString(key: string): string {
    const value = this.string(key);
    if (value === undefined || value === '') throw parameterMissing(this.name(key));
    return value;
  }

  /** A string parameter where an empty value means "unset" (Stripe's convention), giving `null`. */
  nullableString(key: string): string | null | undefined {
    const value = this.string(key);
    return value === '' ? null : value;
  }

  /** One of a fixed set of values. */
  oneOf<T extends string>(key: string, values: readonly T[]): T | undefined {
    const value = this.string(key);
    if (value === undefined) return undefined;
    const match = values.find((candidate) => candidate === value);
    if (match === undefined) {
      throw parameterInvalid(
        this.name(key),
        `Invalid ${this.name(key)}: must be one of ${values.join(', ')}, got "${value}"`,
      );
    }
    return match;
  }

  /** A whole number within `[min, max]`. */
  integer(key: string, range: { min: number; max: number }): number | undefined {
    const text = this.string(key);
    if (text === undefined) return undefined;
    if (!/^-?\d+$/.test(text) || !Number.isSafeInteger(Number(text))) {
      throw parameterInvalid(this.name(key), `Invalid integer: ${text}`);
    }
    const value = Number(text);
    if (value < range.min || value > range.max) {
      throw parameterInvalid(
        this.name(key),
        `Invalid ${this.name(key)}: must be between ${range.min} and ${range.max}, got ${value}`,
      );
    }
    return value;
  }

  /** A whole number within `[min, max]` that must be present. */
  requiredInteger(key: string, range: { min: number; max: number }): number {
    const value = this.integer(key, range);
    if (value === undefined) throw parameterMissing(this.name(key));
    return value;
  }

  /** `true`/`false` as the SDK encodes booleans. */
  boolean(key: string): boolean | undefined {
    const text = this.string(key);
    if (text === undefined) return undefined;
    if (text === 'true') return true;
    if (text === 'false') return false;
    throw parameterInvalid(this.name(key), `Invalid boolean: ${text}`);
  }

  /** A nested hash parameter (`automatic_payment_methods[enabled]`); `undefined` when absent. */
  nested(key: string): Params | undefined {
    const value = this.map.get(key);
    if (value === undefined) return undefined;
    if (typeof value === 'string') {
      throw parameterInvalid(this.name(key), `Invalid hash: ${this.name(key)} must be a hash, not a string`);
    }
    return new Params(value, [...this.path, key]);
  }

  /** An array of strings (`expand[0]=a&expand[1]=b`, or `expand[]=a`); `undefined` when absent. */
  stringList(key: string): string[] | undefined {
    const value = this.map.get(key);
    if (value === undefined) return undefined;
    // An empty string is how a client clears an array.
    if (value === '') return [];
    const items = typeof value === 'string' ? undefined : listOf(value);
    if (!items || !items.every((item): item is string => typeof item === 'string')) {
      throw parameterInvalid(this.name(key), `Invalid array: ${this.name(key)} must be an array of strings`);
    }
    return items;
  }

  /** The parameter's entries, for free-form hashes such as `metadata`. */
  entries(): [string, FormValue][] {
    return [...this.map.entries()];
  }

  /** The full name of a parameter at this level, as the client wrote it (`metadata[booking_id]`). */
  name(key: string): string {
    return renderName([...this.path, key]);
  }
}
