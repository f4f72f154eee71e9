import { invalidRequest } from './errors';

/** A decoded request parameter: a string, or a map of nested parameters (`metadata[key]`, `expand[0]`). */
export type FormValue = string | FormMap;

/**
 * Nested parameters by name. A map rather than a plain object, so that names such as `__proto__` in client
 * input stay ordinary keys. Arrays are maps with the keys `"0"`, `"1"`, ... (see {@link listOf}).
 */
export type FormMap = Map<string, FormValue>;

/**
 * Decodes an `application/x-www-form-urlencoded` body or query string the way Stripe reads the SDK's
 * encoding: `a[b][c]=v` nests, `a[]=v` appends, `a[0]=v` is index 0, `+` is a space.
 */
export function parseForm(text: string): FormMap {
  const root: FormMap = new Map();
  for (const pair of text.split('&')) {
    if (pair === '') continue;
    const separator = pair.indexOf('=');
    const rawName = separator < 0 ? pair : pair.slice(0, separator);
    const rawValue = separator < 0 ? '' : pair.slice(separator + 1);
    assign(root, keyPath(decode(rawName)), decode(rawValue));
  }
  return root;
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    throw invalidRequest(`Invalid URL encoding in the request: ${text}`);
  }
}

/** `metadata[booking_id]` → `["metadata", "booking_id"]`; `expand[]` → `["expand", ""]`. */
function keyPath(name: string): string[] {
  const open = name.indexOf('[');
  if (open <= 0 || !name.endsWith(']')) return [name];
  const segments = [name.slice(0, open)];
  const rest = name.slice(open);
  const pattern = /\[([^[\]]*)\]/gy;
  let consumed = 0;
  for (let match = pattern.exec(rest); match; match = pattern.exec(rest)) {
    segments.push(match[1] ?? '');
    consumed = pattern.lastIndex;
  }
  // Brackets that do not pair up are part of an ordinary name, as in most form decoders.
  return consumed === rest.length ? segments : [name];
}

function assign(root: FormMap, path: readonly string[], value: string): void {
  let node = root;
  path.forEach((segment, index) => {
    const key = segment === '' ? String(node.size) : segment;
    const fullName = renderName(path.slice(0, index + 1));
    if (index === path.length - 1) {
      if (node.get(key) instanceof Map) throw invalidRequest(`Invalid parameter: ${fullName} must be a hash`);
      node.set(key, value);
      return;
    }
    const child = node.get(key) ?? new Map<string, FormValue>();
    if (typeof child === 'string')
      throw invalidRequest(`Invalid parameter: ${fullName} cannot also be a hash`);
    node.set(key, child);
    node = child;
  });
}

/** The name of a nested parameter as a client writes it: `["metadata", "a"]` → `metadata[a]`. */
export function renderName(path: readonly string[]): string {
  const [first = '', ...rest] = path;
  return first + rest.map((segment) => `[${segment}]`).join('');
}

/**
 * The values of an array parameter in index order, or undefined when the map is not an array (its keys are
 * not exactly 0..n-1).
 */
export function listOf(map: FormMap): FormValue[] | undefined {
  const values: FormValue[] = [];
  for (let index = 0; index < map.size; index++) {
    const value = map.get(String(index));
    if (value === undefined) return undefined;
    values.push(value);
  }
  return values;
}

/**
 * A canonical text of the parameters, independent of their order in the body: two requests with the same
 * parameters have the same fingerprint (what Stripe's idempotency layer compares).
 */
export function fingerprint(map: FormMap): string {
  const canonical = (value: FormValue): unknown =>
    typeof value === 'string'
      ? value
      : [...value.entries()]
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
          .map(([k, v]) => [k, canonical(v)]);
  return JSON.stringify(canonical(map));
}
