/** One page of a listing and the token of the next one (empty on the last page). */
export interface Page<T> {
  readonly items: T[];
  readonly nextPageToken: string;
}

/**
 * Pages through resources sorted by name. The page token is the last name of the previous page, so a listing
 * stays consistent while resources come and go between pages.
 */
export function page<T>(all: readonly T[], key: (item: T) => string, pageSize = 0, pageToken = ''): Page<T> {
  const sorted = [...all].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  const rest = pageToken ? sorted.filter((item) => key(item) > pageToken) : sorted;
  if (pageSize <= 0 || rest.length <= pageSize) return { items: rest, nextPageToken: '' };
  const items = rest.slice(0, pageSize);
  const last = items[items.length - 1];
  return { items, nextPageToken: last === undefined ? '' : key(last) };
}
