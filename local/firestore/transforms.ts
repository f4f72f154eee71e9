import { toWireTimestamp, type Micros } from './clock';
import { invalidArgument } from './errors';
import { type FieldPath, parseFieldPath } from './field-paths';
import {
  compareNumbers,
  decodeValue,
  INT64_MAX,
  INT64_MIN,
  isNaNValue,
  isNumeric,
  type NumericValue,
  type Value,
  valuesEqual,
} from './values';
import type { WireFieldTransform, WireValue } from './wire';

type TransformOperation =
  | { readonly kind: 'requestTime' }
  | { readonly kind: 'increment' | 'maximum' | 'minimum'; readonly operand: NumericValue }
  | { readonly kind: 'appendMissingElements' | 'removeAllFromArray'; readonly elements: readonly Value[] };

/** A server-side field transform (FieldValue.serverTimestamp, increment, arrayUnion…). */
export interface FieldTransform {
  readonly path: FieldPath;
  readonly operation: TransformOperation;
}

function numericOperand(wire: WireValue | undefined): NumericValue {
  const value = decodeValue(wire ?? {});
  if (!isNumeric(value)) throw invalidArgument('increment, maximum and minimum need a numeric operand.');
  return value;
}

/** Decodes one field transform. */
export function parseFieldTransform(wire: WireFieldTransform): FieldTransform {
  const path = parseFieldPath(wire.fieldPath);
  switch (wire.transformType) {
    case 'setToServerValue':
      if (wire.setToServerValue !== 'REQUEST_TIME') throw invalidArgument('Unknown server value.');
      return { path, operation: { kind: 'requestTime' } };
    case 'increment':
    case 'maximum':
    case 'minimum':
      return {
        path,
        operation: { kind: wire.transformType, operand: numericOperand(wire[wire.transformType]) },
      };
    case 'appendMissingElements':
    case 'removeAllFromArray':
      return {
        path,
        operation: {
          kind: wire.transformType,
          elements: (wire[wire.transformType]?.values ?? []).map(decodeValue),
        },
      };
    default:
      throw invalidArgument('A field transform must set a transform type.');
  }
}

function saturate(value: bigint): bigint {
  return value > INT64_MAX ? INT64_MAX : value < INT64_MIN ? INT64_MIN : value;
}

function toDouble(value: NumericValue): number {
  return value.kind === 'integer' ? Number(value.value) : value.value;
}

/** Integer + integer stays an integer (saturating at the int64 bounds); any double makes a double. */
function increment(current: Value | undefined, operand: NumericValue): Value {
  if (!isNumeric(current)) return operand;
  if (current.kind === 'integer' && operand.kind === 'integer') {
    return { kind: 'integer', value: saturate(current.value + operand.value) };
  }
  return { kind: 'double', value: toDouble(current) + toDouble(operand) };
}

/** Keeps the stored value when both are equivalent (3 vs 3.0, 0 vs -0.0); NaN wins either way. */
function extreme(current: Value | undefined, operand: NumericValue, direction: 1 | -1): Value {
  if (!isNumeric(current)) return operand;
  if (isNaNValue(current) || isNaNValue(operand)) return { kind: 'double', value: NaN };
  return compareNumbers(operand, current) * direction > 0 ? operand : current;
}

function appendMissing(current: Value | undefined, elements: readonly Value[]): Value {
  const values = current?.kind === 'array' ? [...current.values] : [];
  for (const element of elements) {
    if (!values.some((existing) => valuesEqual(existing, element))) values.push(element);
  }
  return { kind: 'array', values };
}

function removeAll(current: Value | undefined, elements: readonly Value[]): Value {
  const values = current?.kind === 'array' ? current.values : [];
  return { kind: 'array', values: values.filter((v) => !elements.some((e) => valuesEqual(v, e))) };
}

/** The new value of the transformed field, given its current value and the commit time. */
export function applyTransform(
  operation: TransformOperation,
  current: Value | undefined,
  commitTime: Micros,
): Value {
  switch (operation.kind) {
    case 'requestTime': {
      // REQUEST_TIME has millisecond precision (google.firestore.v1.DocumentTransform.ServerValue).
      const { seconds, nanos = 0 } = toWireTimestamp(commitTime);
      return { kind: 'timestamp', seconds: BigInt(seconds ?? '0'), nanos: nanos - (nanos % 1_000_000) };
    }
    case 'increment':
      return increment(current, operation.operand);
    case 'maximum':
      return extreme(current, operation.operand, 1);
    case 'minimum':
      return extreme(current, operation.operand, -1);
    case 'appendMissingElements':
      return appendMissing(current, operation.elements);
    case 'removeAllFromArray':
      return removeAll(current, operation.elements);
  }
}
