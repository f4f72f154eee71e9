import { invalidArgument } from './errors';
import { type FieldPath, getField, parseFieldPath } from './field-paths';
import type { StoredDocument } from './store';
import { INT64_MAX, INT64_MIN, isNumeric, type Value } from './values';
import type { WireAggregation } from './wire';

type Aggregation =
  | { readonly kind: 'count'; readonly alias: string; readonly upTo: bigint | undefined }
  | { readonly kind: 'sum' | 'avg'; readonly alias: string; readonly path: FieldPath };

/** Validates the aggregations of a RunAggregationQuery; unnamed ones get Firestore's `field_<n>` aliases. */
export function parseAggregations(wire: readonly WireAggregation[]): Aggregation[] {
  if (wire.length === 0) throw invalidArgument('At least one aggregation is required.');
  // Unnamed aggregations are numbered among themselves (field_1, field_2, ...), as Google's emulator does.
  let unnamed = 0;
  const aggregations = wire.map((aggregation): Aggregation => {
    const alias = aggregation.alias || `field_${++unnamed}`;
    switch (aggregation.operator) {
      case 'count': {
        // Int64Value wrapper: present-but-empty means 0, which Firestore rejects.
        const wrapper = aggregation.count?.upTo;
        const upTo = wrapper ? BigInt(wrapper.value ?? '0') : undefined;
        if (upTo !== undefined && upTo < 1n) throw invalidArgument('count up_to must be greater than zero.');
        return { kind: 'count', alias, upTo };
      }
      case 'sum':
      case 'avg':
        return {
          kind: aggregation.operator,
          alias,
          path: parseFieldPath(aggregation[aggregation.operator]?.field?.fieldPath),
        };
      default:
        throw invalidArgument('An aggregation must set an operator.');
    }
  });
  if (new Set(aggregations.map((a) => a.alias)).size !== aggregations.length) {
    throw invalidArgument('Aggregation aliases must be unique.');
  }
  return aggregations;
}

/** Sum of the numeric values: an integer while every term is an integer and the total fits in 64 bits. */
function sum(values: readonly Value[]): Value {
  let integerTotal = 0n;
  let doubleTotal = 0;
  let isDouble = false;
  for (const value of values) {
    if (value.kind === 'integer' && !isDouble) {
      integerTotal += value.value;
      if (integerTotal > INT64_MAX || integerTotal < INT64_MIN) {
        isDouble = true;
        doubleTotal = Number(integerTotal);
      }
    } else if (value.kind === 'integer') {
      doubleTotal += Number(value.value);
    } else if (value.kind === 'double') {
      if (!isDouble) doubleTotal = Number(integerTotal);
      isDouble = true;
      doubleTotal += value.value;
    }
  }
  return isDouble ? { kind: 'double', value: doubleTotal } : { kind: 'integer', value: integerTotal };
}

function average(values: readonly Value[]): Value {
  if (values.length === 0) return { kind: 'null' };
  const total = sum(values);
  const numerator =
    total.kind === 'integer' ? Number(total.value) : total.kind === 'double' ? total.value : 0;
  return { kind: 'double', value: numerator / values.length };
}

/**
 * Computes each aggregation over the documents a query matched. sum/avg ignore non-numeric values. With
 * several aggregations, only the documents that have every aggregated field count, for all of them
 * (count included), as Firestore documents for aggregations over several fields.
 */
export function aggregate(
  aggregations: readonly Aggregation[],
  matched: readonly StoredDocument[],
): Map<string, Value> {
  const paths = aggregations.flatMap((aggregation) =>
    aggregation.kind === 'count' ? [] : [aggregation.path],
  );
  const documents = matched.filter((document) =>
    paths.every((path) => getField(document.fields, path) !== undefined),
  );
  const results = new Map<string, Value>();
  for (const aggregation of aggregations) {
    if (aggregation.kind === 'count') {
      const count = BigInt(documents.length);
      const capped = aggregation.upTo !== undefined && aggregation.upTo < count ? aggregation.upTo : count;
      results.set(aggregation.alias, { kind: 'integer', value: capped });
      continue;
    }
    const numbers = documents
      .map((document) => getField(document.fields, aggregation.path))
      .filter((value): value is Value => isNumeric(value));
    results.set(aggregation.alias, aggregation.kind === 'sum' ? sum(numbers) : average(numbers));
  }
  return results;
}
