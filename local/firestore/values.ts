import { invalidArgument } from './errors';
import { comparePaths, parseDocumentName } from './paths';
import { compareUtf8 } from './strings';
import type { WireValue } from './wire';

/** A document's fields. Treated as immutable: writes build new maps so stored versions can share them. */
export type Fields = ReadonlyMap<string, Value>;

/** A Firestore value; integers are BigInts so 64-bit values never lose precision. */
export type Value =
  | { readonly kind: 'null' }
  | { readonly kind: 'boolean'; readonly value: boolean }
  | { readonly kind: 'integer'; readonly value: bigint }
  | { readonly kind: 'double'; readonly value: number }
  | { readonly kind: 'timestamp'; readonly seconds: bigint; readonly nanos: number }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'bytes'; readonly value: Buffer }
  | { readonly kind: 'reference'; readonly value: string }
  | { readonly kind: 'geoPoint'; readonly latitude: number; readonly longitude: number }
  | { readonly kind: 'array'; readonly values: readonly Value[] }
  | { readonly kind: 'map'; readonly fields: Fields };

export type NumericValue = Extract<Value, { kind: 'integer' | 'double' }>;

export const NULL_VALUE: Value = { kind: 'null' };

export const INT64_MIN = -(2n ** 63n);
export const INT64_MAX = 2n ** 63n - 1n;

/** Decodes a wire value. */
export function decodeValue(wire: WireValue): Value {
  switch (wire.valueType) {
    case 'nullValue':
      return NULL_VALUE;
    case 'booleanValue':
      return { kind: 'boolean', value: wire.booleanValue === true };
    case 'integerValue':
      return { kind: 'integer', value: BigInt(wire.integerValue ?? '0') };
    case 'doubleValue':
      return { kind: 'double', value: wire.doubleValue ?? 0 };
    case 'timestampValue':
      return {
        kind: 'timestamp',
        seconds: BigInt(wire.timestampValue?.seconds ?? '0'),
        nanos: wire.timestampValue?.nanos ?? 0,
      };
    case 'stringValue':
      return { kind: 'string', value: wire.stringValue ?? '' };
    case 'bytesValue':
      return { kind: 'bytes', value: wire.bytesValue ?? Buffer.alloc(0) };
    case 'referenceValue':
      parseDocumentName(wire.referenceValue);
      return { kind: 'reference', value: wire.referenceValue ?? '' };
    case 'geoPointValue':
      return {
        kind: 'geoPoint',
        latitude: wire.geoPointValue?.latitude ?? 0,
        longitude: wire.geoPointValue?.longitude ?? 0,
      };
    case 'arrayValue':
      return { kind: 'array', values: (wire.arrayValue?.values ?? []).map(decodeValue) };
    case 'mapValue':
      return { kind: 'map', fields: decodeFields(wire.mapValue?.fields) };
    default:
      throw invalidArgument('A value must have one value type set.');
  }
}

/** Decodes a wire field map. */
export function decodeFields(wire: Record<string, WireValue> | undefined): Fields {
  const fields = new Map<string, Value>();
  for (const [name, value] of Object.entries(wire ?? {})) fields.set(name, decodeValue(value));
  return fields;
}

/** Encodes a value for the wire. */
export function encodeValue(value: Value): WireValue {
  switch (value.kind) {
    case 'null':
      return { nullValue: 'NULL_VALUE' };
    case 'boolean':
      return { booleanValue: value.value };
    case 'integer':
      return { integerValue: value.value.toString() };
    case 'double':
      return { doubleValue: value.value };
    case 'timestamp':
      return { timestampValue: { seconds: value.seconds.toString(), nanos: value.nanos } };
    case 'string':
      return { stringValue: value.value };
    case 'bytes':
      return { bytesValue: value.value };
    case 'reference':
      return { referenceValue: value.value };
    case 'geoPoint':
      return { geoPointValue: { latitude: value.latitude, longitude: value.longitude } };
    case 'array':
      return { arrayValue: { values: value.values.map(encodeValue) } };
    case 'map':
      return { mapValue: { fields: encodeFields(value.fields) } };
  }
}

/** Encodes a field map for the wire. */
export function encodeFields(fields: Fields): Record<string, WireValue> {
  const wire: Record<string, WireValue> = {};
  for (const [name, value] of fields) wire[name] = encodeValue(value);
  return wire;
}

/** Whether a map is a vector value (`{__type__: "__vector__", value: [...]}`), which sorts apart from maps. */
function isVector(value: Value): boolean {
  if (value.kind !== 'map') return false;
  const type = value.fields.get('__type__');
  return type?.kind === 'string' && type.value === '__vector__';
}

/**
 * Firestore's cross-type order: null < boolean < number < timestamp < string < bytes < reference < geo point
 * < array < vector < map. Integers and doubles share one rank.
 */
export function typeOrder(value: Value): number {
  switch (value.kind) {
    case 'null':
      return 0;
    case 'boolean':
      return 1;
    case 'integer':
    case 'double':
      return 2;
    case 'timestamp':
      return 3;
    case 'string':
      return 4;
    case 'bytes':
      return 5;
    case 'reference':
      return 6;
    case 'geoPoint':
      return 7;
    case 'array':
      return 8;
    case 'map':
      return isVector(value) ? 9 : 10;
  }
}

function sign(n: number): number {
  return n < 0 ? -1 : n > 0 ? 1 : 0;
}

function compareBigInts(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareDoubles(a: number, b: number): number {
  if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : -1;
  if (Number.isNaN(b)) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Compares an integer with a double exactly (no rounding of the integer to 53 bits). */
function compareIntegerWithDouble(integer: bigint, double: number): number {
  if (Number.isNaN(double)) return 1;
  if (double === Infinity) return -1;
  if (double === -Infinity) return 1;
  const floor = Math.floor(double);
  const order = compareBigInts(integer, BigInt(floor));
  if (order !== 0) return order;
  return double > floor ? -1 : 0;
}

/** Numeric order over integers and doubles; NaN is lower than every other number. */
export function compareNumbers(a: NumericValue, b: NumericValue): number {
  if (a.kind === 'integer' && b.kind === 'integer') return compareBigInts(a.value, b.value);
  if (a.kind === 'double' && b.kind === 'double') return compareDoubles(a.value, b.value);
  if (a.kind === 'integer' && b.kind === 'double') return compareIntegerWithDouble(a.value, b.value);
  if (a.kind === 'double' && b.kind === 'integer') return -compareIntegerWithDouble(b.value, a.value);
  return 0;
}

function compareReferences(a: string, b: string): number {
  const x = parseDocumentName(a);
  const y = parseDocumentName(b);
  const byDatabase = compareUtf8(x.database, y.database);
  return byDatabase !== 0 ? byDatabase : comparePaths(x.path, y.path);
}

function compareArrays(a: readonly Value[], b: readonly Value[]): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const order = compareValues(a[i] ?? NULL_VALUE, b[i] ?? NULL_VALUE);
    if (order !== 0) return order;
  }
  return sign(a.length - b.length);
}

function compareMaps(a: Fields, b: Fields): number {
  const keysA = [...a.keys()].sort(compareUtf8);
  const keysB = [...b.keys()].sort(compareUtf8);
  const length = Math.min(keysA.length, keysB.length);
  for (let i = 0; i < length; i++) {
    const keyA = keysA[i] ?? '';
    const keyB = keysB[i] ?? '';
    const byKey = compareUtf8(keyA, keyB);
    if (byKey !== 0) return sign(byKey);
    const byValue = compareValues(a.get(keyA) ?? NULL_VALUE, b.get(keyB) ?? NULL_VALUE);
    if (byValue !== 0) return byValue;
  }
  return sign(keysA.length - keysB.length);
}

function compareVectors(a: Fields, b: Fields): number {
  const valuesA = a.get('value');
  const valuesB = b.get('value');
  const arrayA = valuesA?.kind === 'array' ? valuesA.values : [];
  const arrayB = valuesB?.kind === 'array' ? valuesB.values : [];
  return arrayA.length !== arrayB.length
    ? sign(arrayA.length - arrayB.length)
    : compareArrays(arrayA, arrayB);
}

/** Firestore's total order over values: by type rank first, then within the type. Returns -1, 0 or 1. */
export function compareValues(a: Value, b: Value): number {
  const byType = typeOrder(a) - typeOrder(b);
  if (byType !== 0) return sign(byType);
  switch (a.kind) {
    case 'null':
      return 0;
    case 'boolean':
      return b.kind === 'boolean' ? sign(Number(a.value) - Number(b.value)) : 0;
    case 'integer':
    case 'double':
      return b.kind === 'integer' || b.kind === 'double' ? compareNumbers(a, b) : 0;
    case 'timestamp':
      return b.kind === 'timestamp' ? compareBigInts(a.seconds, b.seconds) || sign(a.nanos - b.nanos) : 0;
    case 'string':
      return b.kind === 'string' ? sign(compareUtf8(a.value, b.value)) : 0;
    case 'bytes':
      return b.kind === 'bytes' ? sign(Buffer.compare(a.value, b.value)) : 0;
    case 'reference':
      return b.kind === 'reference' ? sign(compareReferences(a.value, b.value)) : 0;
    case 'geoPoint':
      return b.kind === 'geoPoint'
        ? compareDoubles(a.latitude, b.latitude) || compareDoubles(a.longitude, b.longitude)
        : 0;
    case 'array':
      return b.kind === 'array' ? compareArrays(a.values, b.values) : 0;
    case 'map':
      if (b.kind !== 'map') return 0;
      return isVector(a) ? compareVectors(a.fields, b.fields) : compareMaps(a.fields, b.fields);
  }
}

/** Query equality: equal in Firestore's order (so 1 == 1.0). */
export function valuesEqual(a: Value, b: Value): boolean {
  return compareValues(a, b) === 0;
}

/** Storage identity: same type and same contents (1 and 1.0 differ), used to detect writes that change nothing. */
function identicalValues(a: Value, b: Value): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'double' && b.kind === 'double') return Object.is(a.value, b.value);
  if (a.kind === 'array' && b.kind === 'array') {
    return (
      a.values.length === b.values.length && a.values.every((v, i) => identicalValues(v, b.values[i] ?? v))
    );
  }
  if (a.kind === 'map' && b.kind === 'map') return identicalFields(a.fields, b.fields);
  return compareValues(a, b) === 0;
}

/** Whether two field maps hold identical values. */
export function identicalFields(a: Fields, b: Fields): boolean {
  if (a.size !== b.size) return false;
  for (const [name, value] of a) {
    const other = b.get(name);
    if (other === undefined || !identicalValues(value, other)) return false;
  }
  return true;
}

/** Whether a value is an integer or a double. */
export function isNumeric(value: Value | undefined): value is NumericValue {
  return value?.kind === 'integer' || value?.kind === 'double';
}

/** Whether a value is the double NaN. */
export function isNaNValue(value: Value | undefined): boolean {
  return value?.kind === 'double' && Number.isNaN(value.value);
}
