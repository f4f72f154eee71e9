import type { CollectionReference, Transaction } from 'firebase-admin/firestore';

/**
 * The reads and writes every repository of a top-level entity needs, over a collection whose converter
 * maps documents to entities with an `id`. Repositories extend it with their own queries and updates.
 */
export class EntityCollection<T extends { readonly id: string }> {
  constructor(protected readonly collection: CollectionReference<T>) {}

  /** A fresh random document id: unguessable, and never monotonic, so writes spread over the key space. */
  newId(): string {
    return this.collection.doc().id;
  }

  /** The entity, read outside any transaction. */
  async find(id: string): Promise<T | undefined> {
    return (await this.collection.doc(id).get()).data();
  }

  /** Reads the entity in `tx`, locking it until the transaction ends. */
  async getIn(tx: Transaction, id: string): Promise<T | undefined> {
    return (await tx.get(this.collection.doc(id))).data();
  }

  /** A query over the collection, its documents read as entities. */
  query(): CollectionReference<T> {
    return this.collection;
  }

  /** Creates the entity in `tx`; the `create` precondition refuses to overwrite an existing document. */
  create(tx: Transaction, entity: T): void {
    tx.create(this.collection.doc(entity.id), entity);
  }
}
