import { invalidArgument } from './errors';
import type { Fields, Value } from './values';

/** A field path as segments: `a.`b.c`` is ['a', 'b.c']. */
export type FieldPath = readonly string[];

/** The pseudo field that stands for the document name in queries. */
export const DOCUMENT_ID_FIELD = '__name__';

/** Parses a field path string: dot-separated segments, backtick-quoted where needed, `\` escaping. */
export function parseFieldPath(text: string | undefined): FieldPath {
  if (!text) throw invalidArgument('A field path must not be empty.');
  const segments: string[] = [];
  let current = '';
  let quoted = false;
  let wasQuoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i] ?? '';
    if (quoted) {
      if (char === '\\') {
        i++;
        if (i >= text.length) throw invalidArgument(`Invalid field path: ${text}`);
        current += text[i] ?? '';
      } else if (char === '`') {
        quoted = false;
      } else {
        current += char;
      }
    } else if (char === '`') {
      if (current !== '' || wasQuoted) throw invalidArgument(`Invalid field path: ${text}`);
      quoted = true;
      wasQuoted = true;
    } else if (char === '.') {
      if (current === '' && !wasQuoted) throw invalidArgument(`Invalid field path: ${text}`);
      segments.push(current);
      current = '';
      wasQuoted = false;
    } else {
      if (wasQuoted) throw invalidArgument(`Invalid field path: ${text}`);
      current += char;
    }
  }
  if (quoted || (current === '' && !wasQuoted)) throw invalidArgument(`Invalid field path: ${text}`);
  segments.push(current);
  return segments;
}

/** Canonical string for using a field path as a map key (unambiguous, not the wire syntax). */
export function fieldPathKey(path: FieldPath): string {
  return JSON.stringify(path);
}

/** Reads a possibly nested field; undefined when any step is missing or not a map. */
export function getField(fields: Fields, path: FieldPath): Value | undefined {
  let current: Fields = fields;
  for (let i = 0; i < path.length; i++) {
    const value = current.get(path[i] ?? '');
    if (value === undefined || i === path.length - 1) return value;
    if (value.kind !== 'map') return undefined;
    current = value.fields;
  }
  return undefined;
}

/** Returns a copy of `fields` with a nested field set, replacing any non-map value on the way with a map. */
export function setField(fields: Fields, path: FieldPath, value: Value): Fields {
  const [head, ...rest] = path;
  if (head === undefined) return fields;
  const next = new Map(fields);
  if (rest.length === 0) {
    next.set(head, value);
  } else {
    const child = fields.get(head);
    const childFields = child?.kind === 'map' ? child.fields : new Map<string, Value>();
    next.set(head, { kind: 'map', fields: setField(childFields, rest, value) });
  }
  return next;
}

/** Returns a copy of `fields` without a nested field (unchanged when it is absent). */
export function deleteField(fields: Fields, path: FieldPath): Fields {
  const [head, ...rest] = path;
  if (head === undefined || !fields.has(head)) return fields;
  if (rest.length === 0) {
    const next = new Map(fields);
    next.delete(head);
    return next;
  }
  const child = fields.get(head);
  if (child?.kind !== 'map') return fields;
  const childFields = deleteField(child.fields, rest);
  if (childFields === child.fields) return fields;
  return new Map(fields).set(head, { kind: 'map', fields: childFields });
}

/** Keeps only the given field paths (a read mask or a query projection). */
export function projectFields(fields: Fields, paths: readonly FieldPath[]): Fields {
  let projected: Fields = new Map<string, Value>();
  for (const path of paths) {
    const value = getField(fields, path);
    if (value !== undefined) projected = setField(projected, path, value);
  }
  return projected;
}
