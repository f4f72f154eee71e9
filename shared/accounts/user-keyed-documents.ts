import { Timestamp, type DocumentData, type Firestore } from 'firebase-admin/firestore';

/** Documents one batch rewrites: well inside Firestore's 500 writes per commit. */
const BATCH_SIZE = 200;

/** What to do with each document found: change some of its fields, or delete it. */
export type Rewrite = { readonly update: DocumentData } | 'delete';

/**
 * Applies `rewrite` to every document of `collection` whose `field` equals `value`, a batch at a time, and
 * returns how many it changed. The rewrite must take the document out of the query (pseudonymise the
 * field, or delete the document), so each page finds only documents still to do and a repeat after a crash
 * half-way simply finishes the job.
 */
export async function rewriteWhere(
  db: Firestore,
  collection: string,
  field: string,
  value: string,
  rewrite: Rewrite,
): Promise<number> {
  let changed = 0;
  for (;;) {
    const page = await db.collection(collection).where(field, '==', value).limit(BATCH_SIZE).select().get();
    if (page.empty) return changed;
    const batch = db.batch();
    for (const document of page.docs) {
      if (rewrite === 'delete') batch.delete(document.ref);
      else batch.update(document.ref, rewrite.update);
    }
    await batch.commit();
    changed += page.size;
  }
}

function exportValue(value: unknown): unknown {
  if (value instanceof Timestamp) return value.toDate().toISOString();
  if (Array.isArray(value)) return value.map(exportValue);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, exportValue(inner)]));
  }
  return value;
}

/** A stored document as JSON for the export, with its id and its instants as ISO 8601 UTC strings. */
export function exportRecord(id: string, data: DocumentData): Record<string, unknown> {
  return { id, ...(exportValue(data) as Record<string, unknown>) };
}
