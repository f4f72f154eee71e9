import { ValidationError } from '../../errors/domain-errors';
import { logger } from '../../logging/logger';
import type { InventoryStore } from '../../inventory/inventory-store';
import { isCancelled, toEventResponse, type EventResponse, type StoredEvent } from '../event';
import { availabilityIn, availabilityOf } from '../event-availability';
import type { EventPageQuery, EventRepository } from '../event-repository';
import { encodeCursor, filtersDigest } from './cursor';
import { coveringCells, distanceKm } from './geo';
import { scanInOrder, type PagedSource, type ScanBudget } from './ordered-scan';
import type { SearchPosition } from './position';
import type { SearchFilters, SearchRequest } from './search-filters';
import { lookupTermOf, matchesTextQuery, searchableTextsOf, wordsOf } from './tokens';

/**
 * The most work one search request may do: 10 pages of the largest page size in event documents, and an
 * availability lookup (one aggregation query) for at most 4 pages' worth of candidates.
 */
export const SEARCH_BUDGET: ScanBudget = { maxDocumentReads: 500, maxResolved: 200 };

/** A page of results, with what it cost. */
export interface SearchOutcome {
  readonly events: readonly EventResponse[];
  /** Null when there is nothing after this page. */
  readonly nextCursor: string | null;
  readonly documentsRead: number;
  readonly availabilityLookups: number;
}

function positionOf(event: StoredEvent): SearchPosition {
  return { startsAtMillis: event.startsAt.getTime(), id: event.id };
}

/** The checks Firestore could not do: exact distance and the remaining query words. */
function prefilterFor(filters: SearchFilters): (event: StoredEvent) => boolean {
  const { near, text } = filters;
  return (event) =>
    !isCancelled(event) &&
    (near === undefined || distanceKm(event.location, near.center) <= near.radiusKm) &&
    (text === undefined || matchesTextQuery(text, wordsOf(searchableTextsOf(event).join(' '))));
}

/**
 * Searches events on Firestore without a search engine: one query per geohash cell covering the circle
 * (or a single query), each narrowed by one stored search term and the `startsAt` range and ordered by
 * `startsAt`, merged into one ordered stream and filtered exactly afterwards. See docs/search.md.
 */
export class EventSearchService {
  constructor(
    private readonly events: EventRepository,
    private readonly inventory: InventoryStore,
    private readonly now: () => Date = () => new Date(),
    private readonly budget: ScanBudget = SEARCH_BUDGET,
  ) {}

  /**
   * One page of events matching `request`, in `startsAt` order (ties by id).
   *
   * @throws ValidationError when the cursor was issued for other filters.
   */
  async search(request: SearchRequest): Promise<SearchOutcome> {
    const { filters } = request;
    const digest = filtersDigest(filters);
    if (request.cursor !== undefined && request.cursor.filtersDigest !== digest) {
      throw new ValidationError('The cursor belongs to a search with other filters.', [
        { path: 'cursor', message: 'Issued for other filters: start again without a cursor.' },
      ]);
    }
    const result = await scanInOrder({
      sources: this.sourcesFor(filters),
      positionOf,
      after: request.cursor?.after,
      limit: request.limit,
      budget: this.budget,
      prefilter: prefilterFor(filters),
      resolve: (candidates) => this.withAvailability(candidates, filters.onlyAvailable),
    });
    logger.debug('searchEvents scanned', { documentsRead: result.documentsRead, resolved: result.resolved });
    return {
      events: result.matches,
      nextCursor:
        result.resumeAfter === undefined
          ? null
          : encodeCursor({ after: result.resumeAfter, filtersDigest: digest }),
      documentsRead: result.documentsRead,
      availabilityLookups: result.resolved,
    };
  }

  private sourcesFor(filters: SearchFilters): PagedSource<StoredEvent>[] {
    const base: Omit<EventPageQuery, 'after' | 'limit'> = {
      term: filters.text === undefined ? undefined : lookupTermOf(filters.text),
      from: filters.from ?? this.now(),
      to: filters.to,
    };
    const cover =
      filters.near === undefined ? undefined : coveringCells(filters.near.center, filters.near.radiusKm);
    const queries =
      cover === undefined
        ? [base]
        : cover.cells.map((geohash) => ({ ...base, cell: { precision: cover.precision, geohash } }));
    return queries.map((query) => ({
      fetch: (after, limit) => this.events.findPage({ ...query, after, limit }),
    }));
  }

  private async withAvailability(
    candidates: readonly StoredEvent[],
    onlyAvailable: boolean,
  ): Promise<(EventResponse | null)[]> {
    const availability = await availabilityOf(
      this.inventory,
      candidates.map((event) => event.id),
    );
    return candidates.map((event) => {
      const current = availabilityIn(availability, event.id);
      return onlyAvailable && current.availableTickets === 0 ? null : toEventResponse(event, current);
    });
  }
}
