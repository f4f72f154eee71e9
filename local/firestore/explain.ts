import type { FieldPath } from './field-paths';
import type { Query } from './query';
import type { WireExplainMetrics, WireStruct } from './wire';

/*
 * Query Explain (https://cloud.google.com/firestore/docs/query-explain): a plan summary naming the index a
 * query uses and, with `analyze`, execution statistics next to the results. This emulator has no indexes:
 * every query runs as if its ideal index existed, so the plan names that index (the query's complete
 * ordering) and the index entries scanned are the documents that matched.
 */

function struct(values: Readonly<Record<string, string>>): WireStruct {
  return {
    fields: Object.fromEntries(Object.entries(values).map(([key, value]) => [key, { stringValue: value }])),
  };
}

/** A field path as Firestore writes it: dotted, with backticks around segments that are not identifiers. */
function formatFieldPath(path: FieldPath): string {
  return path
    .map((segment) =>
      /^[A-Za-z_][A-Za-z_0-9]*$/.test(segment) ? segment : `\`${segment.replace(/[`\\]/g, '\\$&')}\``,
    )
    .join('.');
}

/** The plan: the index the query's ordering asks for, e.g. `(seats DESC, __name__ DESC)`. */
export function planSummary(query: Query): WireExplainMetrics['planSummary'] {
  const properties = query.orderBy
    .map((order) => `${formatFieldPath(order.path)} ${order.descending ? 'DESC' : 'ASC'}`)
    .join(', ');
  return {
    indexesUsed: [
      struct({
        query_scope: query.allDescendants ? 'Collection group' : 'Collection',
        properties: `(${properties})`,
      }),
    ],
  };
}

/** What an analyzed run measured. */
export interface ExecutionFigures {
  readonly resultsReturned: number;
  readonly indexEntriesScanned: number;
  readonly documentsScanned: number;
  /** Billed reads: documents returned, or one per 1 000 index entries for an aggregation; at least one. */
  readonly readOperations: number;
  readonly startedNs: bigint;
}

/** The metrics of an explained query: the plan alone, or the plan and the execution statistics. */
export function explainMetrics(query: Query, figures?: ExecutionFigures): WireExplainMetrics {
  if (!figures) return { planSummary: planSummary(query) };
  const elapsedNs = process.hrtime.bigint() - figures.startedNs;
  return {
    planSummary: planSummary(query),
    executionStats: {
      resultsReturned: String(figures.resultsReturned),
      executionDuration: {
        seconds: String(elapsedNs / 1_000_000_000n),
        nanos: Number(elapsedNs % 1_000_000_000n),
      },
      readOperations: String(Math.max(1, figures.readOperations)),
      debugStats: struct({
        index_entries_scanned: String(figures.indexEntriesScanned),
        documents_scanned: String(figures.documentsScanned),
      }),
    },
  };
}
