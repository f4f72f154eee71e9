import type { DocumentData, FirestoreDataConverter, QueryDocumentSnapshot } from 'firebase-admin/firestore';
import type * as z from 'zod';

/**
 * The converter of an entity stored under its id. A read is checked against `schema`, which describes the
 * stored fields plus `id` (taken from the document's name), so a malformed document fails loudly instead of
 * leaking; a write stores what `toDocument` makes of the entity (never its id).
 */
export function entityConverter<T extends { readonly id: string }>(
  schema: z.ZodType<T>,
  toDocument: (entity: T) => DocumentData,
): FirestoreDataConverter<T> {
  return {
    toFirestore: (entity: T): DocumentData => toDocument(entity),
    fromFirestore: (snapshot: QueryDocumentSnapshot): T =>
      schema.parse({ ...snapshot.data(), id: snapshot.id }),
  };
}
