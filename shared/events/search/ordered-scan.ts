import { comparePositions, type SearchPosition } from './position';

/** One Firestore query of a search, read page by page in position order. */
export interface PagedSource<T> {
  /** Up to `limit` items positioned strictly after `after` (from the start when undefined), in order. */
  fetch(after: SearchPosition | undefined, limit: number): Promise<readonly T[]>;
}

/** Caps on the work of one scan, so that a request never reads an unbounded number of documents. */
export interface ScanBudget {
  /** Documents read from all sources together; an empty page counts as one read, as Firestore bills it. */
  readonly maxDocumentReads: number;
  /** Candidates handed to `resolve` (each costs an availability lookup). */
  readonly maxResolved: number;
}

/** What to scan and how to decide which items match. */
export interface ScanOptions<T, R> {
  /** Disjoint queries over the same order; their union is merged into one ordered stream. */
  readonly sources: readonly PagedSource<T>[];
  readonly positionOf: (item: T) => SearchPosition;
  /** Where the previous page stopped; every item at or before it is skipped. */
  readonly after: SearchPosition | undefined;
  /** Stop once this many items matched. */
  readonly limit: number;
  readonly budget: ScanBudget;
  /** Cheap per-item checks that the queries could not express. */
  readonly prefilter: (item: T) => boolean;
  /** The costly final check of a batch of candidates, in order: the result for each, or null to drop it. */
  readonly resolve: (candidates: readonly T[]) => Promise<readonly (R | null)[]>;
}

/** The outcome of a scan. */
export interface ScanResult<R> {
  readonly matches: readonly R[];
  /**
   * Where the next page starts: the last item this scan decided on. Undefined when every source is
   * exhausted, i.e. there is no next page.
   */
  readonly resumeAfter: SearchPosition | undefined;
  readonly documentsRead: number;
  readonly resolved: number;
}

/** Pages of a source grow by this factor each time it runs dry: filters are rejecting its items. */
const PAGE_GROWTH = 2;
const MAX_PAGE_SIZE = 100;

/** One source: its current page, how far it has been taken, and where its next page starts. */
class SourceReader<T> {
  private buffer: readonly T[] = [];
  private next = 0;
  private exhausted = false;

  constructor(
    private readonly source: PagedSource<T>,
    private readonly positionOf: (item: T) => SearchPosition,
    private after: SearchPosition | undefined,
    private pageSize: number,
  ) {}

  get head(): T | undefined {
    return this.buffer[this.next];
  }

  get needsFetch(): boolean {
    return !this.exhausted && this.next >= this.buffer.length;
  }

  get finished(): boolean {
    return this.exhausted && this.next >= this.buffer.length;
  }

  get wantedPageSize(): number {
    return this.pageSize;
  }

  /** Reads the next page (at most `limit` items) and returns the reads it cost. */
  async fetch(limit: number): Promise<number> {
    const page = await this.source.fetch(this.after, limit);
    this.buffer = page;
    this.next = 0;
    this.exhausted = page.length < limit;
    const last = page.at(-1);
    if (last !== undefined) this.after = this.positionOf(last);
    this.pageSize = Math.min(this.pageSize * PAGE_GROWTH, MAX_PAGE_SIZE);
    return Math.max(page.length, 1);
  }

  take(): T | undefined {
    const item = this.head;
    if (item !== undefined) this.next++;
    return item;
  }
}

/** What taking the next item in order gave: an item, the end of every source, or an empty budget. */
type Next<T> = { readonly item: T } | 'exhausted' | 'budget';

/** The union of disjoint ordered sources, taken one item at a time in order, within a read budget. */
class OrderedMerge<T> {
  private readonly readers: SourceReader<T>[];
  private reads = 0;

  constructor(
    sources: readonly PagedSource<T>[],
    private readonly positionOf: (item: T) => SearchPosition,
    after: SearchPosition | undefined,
    limit: number,
    private readonly maxDocumentReads: number,
  ) {
    if (maxDocumentReads < sources.length) {
      throw new Error('The read budget must allow one read per source, or a scan could make no progress');
    }
    // A page's matches are spread over the sources; the first reads assume an even spread plus one more.
    const firstPageSize = Math.ceil(limit / sources.length) + 1;
    this.readers = sources.map((source) => new SourceReader(source, positionOf, after, firstPageSize));
  }

  /** Documents read so far, as Firestore bills them. */
  get documentsRead(): number {
    return this.reads;
  }

  /** True once every source has been read to its end and every item taken. */
  get finished(): boolean {
    return this.readers.every((reader) => reader.finished);
  }

  /** The smallest item not taken yet; only once every unfinished source has shown its next item. */
  async next(): Promise<Next<T>> {
    if (!(await this.fillHeads())) return 'budget';
    let smallest: SourceReader<T> | undefined;
    for (const reader of this.readers) {
      const head = reader.head;
      const best = smallest?.head;
      if (head === undefined) continue;
      if (best === undefined || comparePositions(this.positionOf(head), this.positionOf(best)) < 0) {
        smallest = reader;
      }
    }
    const item = smallest?.take();
    return item === undefined ? 'exhausted' : { item };
  }

  /** Reads the next page of every source that ran dry; false when the budget cannot pay for that. */
  private async fillHeads(): Promise<boolean> {
    const dry = this.readers.filter((reader) => reader.needsFetch);
    if (dry.length === 0) return true;
    const share = Math.floor((this.maxDocumentReads - this.reads) / dry.length);
    if (share < 1) return false;
    const costs = await Promise.all(
      dry.map((reader) => reader.fetch(Math.min(reader.wantedPageSize, share))),
    );
    this.reads += costs.reduce((sum, cost) => sum + cost, 0);
    return true;
  }
}

/**
 * Merges several ordered queries into one ordered stream, filters it and stops at `limit` matches or when
 * the budget runs out, whichever comes first.
 *
 * Exactly-once paging rests on one invariant: every item up to `resumeAfter` has been decided (returned or
 * rejected) and no item after it has been returned. A merge can only take an item once every unfinished
 * source has shown its next one, so when a source would need a read the budget cannot pay for, the scan
 * stops and resumes there next time. Items read past `resumeAfter` are read again by the next page: that
 * is the price of never skipping one.
 */
export async function scanInOrder<T, R>(options: ScanOptions<T, R>): Promise<ScanResult<R>> {
  const { budget, limit, positionOf } = options;
  const merge = new OrderedMerge(options.sources, positionOf, options.after, limit, budget.maxDocumentReads);
  const matches: R[] = [];
  let resolved = 0;
  let lastDecided: SearchPosition | undefined;
  let stop: 'exhausted' | 'budget' | undefined;

  while (stop === undefined && matches.length < limit) {
    // Candidates are resolved in batches no larger than the matches still missing, so none is wasted.
    const wanted = Math.min(limit - matches.length, budget.maxResolved - resolved);
    if (wanted <= 0) {
      stop = 'budget';
      break;
    }
    const candidates: T[] = [];
    while (candidates.length < wanted) {
      const next = await merge.next();
      if (next === 'exhausted' || next === 'budget') {
        stop = next;
        break;
      }
      lastDecided = positionOf(next.item);
      if (options.prefilter(next.item)) candidates.push(next.item);
    }
    if (candidates.length > 0) {
      const results = await options.resolve(candidates);
      resolved += candidates.length;
      for (const result of results) if (result !== null) matches.push(result);
    }
  }
  return {
    matches,
    resumeAfter: stop === 'exhausted' || merge.finished ? undefined : (lastDecided ?? options.after),
    documentsRead: merge.documentsRead,
    resolved,
  };
}
