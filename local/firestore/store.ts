import { type Micros, READ_TIME_RETENTION_MICROS } from './clock';
import { isDescendant, pathKey, type ResourcePath } from './paths';
import type { Fields } from './values';

/** One version of an existing document. */
export interface StoredDocument {
  readonly path: ResourcePath;
  readonly fields: Fields;
  readonly createTime: Micros;
  readonly updateTime: Micros;
}

/** A document state from `time` on; `document` undefined means deleted (or never created). */
interface Version {
  readonly time: Micros;
  readonly document: StoredDocument | undefined;
}

class DocumentHistory {
  readonly versions: Version[] = [];

  at(readTime: Micros | undefined): StoredDocument | undefined {
    if (readTime === undefined) return this.versions.at(-1)?.document;
    for (let i = this.versions.length - 1; i >= 0; i--) {
      const version = this.versions[i];
      if (version && version.time <= readTime) return version.document;
    }
    return undefined;
  }

  /** Appends a version and forgets the ones no read within the retention window can reach. */
  append(version: Version, cutoff: Micros): void {
    this.versions.push(version);
    let firstNeeded = 0;
    while (firstNeeded + 1 < this.versions.length && (this.versions[firstNeeded + 1]?.time ?? 0n) <= cutoff) {
      firstNeeded++;
    }
    if (firstNeeded > 0) this.versions.splice(0, firstNeeded);
  }

  /** A history whose latest state is an old deletion serves no read any more. */
  isObsolete(cutoff: Micros): boolean {
    const latest = this.versions.at(-1);
    return latest === undefined || (latest.document === undefined && latest.time <= cutoff);
  }
}

interface Collection {
  readonly path: ResourcePath;
  readonly documents: Map<string, DocumentHistory>;
}

/**
 * The multi-version documents of one database. Every commit appends versions, so reads at a past read time
 * (read-only transactions, `readTime` reads) see a consistent snapshot while writers carry on.
 */
export class DatabaseStore {
  private readonly collections = new Map<string, Collection>();

  /** The document at `path` as of `readTime` (latest when undefined). */
  get(path: ResourcePath, readTime?: Micros): StoredDocument | undefined {
    const collection = this.collections.get(pathKey(path.slice(0, -1)));
    return collection?.documents.get(path.at(-1) ?? '')?.at(readTime);
  }

  /** Records the state of a document from `time` on (undefined = deleted). */
  install(path: ResourcePath, document: StoredDocument | undefined, time: Micros): void {
    const collectionPath = path.slice(0, -1);
    const key = pathKey(collectionPath);
    let collection = this.collections.get(key);
    if (!collection) {
      if (document === undefined) return;
      collection = { path: collectionPath, documents: new Map() };
      this.collections.set(key, collection);
    }
    const id = path.at(-1) ?? '';
    let history = collection.documents.get(id);
    if (!history) {
      if (document === undefined) return;
      history = new DocumentHistory();
      collection.documents.set(id, history);
    }
    history.append({ time, document }, time - READ_TIME_RETENTION_MICROS);
  }

  /**
   * The documents existing at `readTime` in the collections a query selects: `parent/collectionId`, or with
   * `allDescendants` every collection below `parent` named `collectionId` (any name when undefined).
   */
  *documents(
    parent: ResourcePath,
    collectionId: string | undefined,
    allDescendants: boolean,
    readTime: Micros | undefined,
    now: Micros,
  ): Generator<StoredDocument> {
    const selected = allDescendants
      ? [...this.collections.values()].filter(
          (c) =>
            isDescendant(c.path, parent) && (collectionId === undefined || c.path.at(-1) === collectionId),
        )
      : [this.collections.get(pathKey([...parent, collectionId ?? '']))];
    for (const collection of selected) {
      if (collection) yield* this.liveDocuments(collection, readTime, now);
    }
  }

  private *liveDocuments(collection: Collection, readTime: Micros | undefined, now: Micros) {
    const cutoff = now - READ_TIME_RETENTION_MICROS;
    for (const [id, history] of collection.documents) {
      if (history.isObsolete(cutoff)) {
        collection.documents.delete(id);
        continue;
      }
      const document = history.at(readTime);
      if (document) yield document;
    }
  }

  /** Paths of the collections that hold at least one document existing at `readTime`. */
  nonEmptyCollections(readTime: Micros | undefined): ResourcePath[] {
    const paths: ResourcePath[] = [];
    for (const collection of this.collections.values()) {
      for (const history of collection.documents.values()) {
        if (history.at(readTime)) {
          paths.push(collection.path);
          break;
        }
      }
    }
    return paths;
  }
}

/** All databases of the emulator, keyed by `projects/{project}/databases/{database}`. */
export class Store {
  private readonly databases = new Map<string, DatabaseStore>();

  database(name: string): DatabaseStore {
    let database = this.databases.get(name);
    if (!database) {
      database = new DatabaseStore();
      this.databases.set(name, database);
    }
    return database;
  }

  /** Forgets one database, or all when `name` is undefined. */
  reset(name?: string): void {
    if (name === undefined) this.databases.clear();
    else this.databases.delete(name);
  }
}
