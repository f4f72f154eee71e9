import type { GeoLocation } from '../event';
import type { SearchCursor } from './cursor';
import type { TextQuery } from './tokens';

/** Events within `radiusKm` (great-circle distance) of `center`. */
export interface NearFilter {
  readonly center: GeoLocation;
  readonly radiusKm: number;
}

/** What a search matches; everything but the page size and the position. */
export interface SearchFilters {
  readonly text?: TextQuery;
  /** Inclusive lower bound on `startsAt`; the time of the request when absent (only future events). */
  readonly from?: Date;
  /** Exclusive upper bound on `startsAt`. */
  readonly to?: Date;
  readonly near?: NearFilter;
  /** Hide events with no ticket left to hold. */
  readonly onlyAvailable: boolean;
}

/** A validated `searchEvents` request. */
export interface SearchRequest {
  readonly filters: SearchFilters;
  /** Page size, 1 to 50. */
  readonly limit: number;
  /** Where the previous page stopped; absent for the first page. */
  readonly cursor?: SearchCursor;
}
