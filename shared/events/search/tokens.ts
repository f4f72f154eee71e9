/**
 * Word tokens for text search on Firestore, which has no full-text index: an event stores the prefixes of
 * its words in an array (`searchTerms`) that one `array-contains` filter can use; the remaining query words
 * are checked on the documents the query returns.
 */

import type { EventDetails } from '../event';

/** Longer words are stored (and looked up) by their first this many characters; bounds the array size. */
export const MAX_TERM_LENGTH = 20;

const COMBINING_MARKS = /\p{M}+/gu;
const WORD_SEPARATORS = /[^\p{L}\p{N}]+/u;

/**
 * The distinct words of `text`, in order: compatibility-decomposed (NFKD, which also folds ligatures and
 * full-width forms), stripped of combining marks ("é" → "e"), lower-cased and split on anything that is not
 * a letter or a digit.
 */
export function wordsOf(text: string): string[] {
  return [...new Set(foldedWords(text))];
}

function foldedWords(text: string): string[] {
  const folded = text.normalize('NFKD').replace(COMBINING_MARKS, '').toLowerCase();
  return folded.split(WORD_SEPARATORS).filter((word) => word !== '');
}

/** The texts of an event that `q` searches. */
export function searchableTextsOf(event: Pick<EventDetails, 'name' | 'venue' | 'description'>): string[] {
  return [event.name, event.venue, event.description ?? ''];
}

/**
 * What an event stores in `searchTerms`: every prefix (1 to {@link MAX_TERM_LENGTH} characters) of every
 * word of its texts. A whole word is its own prefix, so one array serves both exact and prefix lookups.
 */
export function searchTermsOf(texts: readonly string[]): string[] {
  const terms = new Set<string>();
  for (const word of wordsOf(texts.join(' '))) {
    const longest = Math.min(word.length, MAX_TERM_LENGTH);
    for (let length = 1; length <= longest; length++) terms.add(word.slice(0, length));
  }
  return [...terms];
}

/**
 * A parsed `q`: every word must match a word of the event exactly, except the last, which may be the start
 * of a word, so that results follow a user typing into a search box.
 */
export interface TextQuery {
  /** The distinct words before the last one. */
  readonly exactWords: readonly string[];
  /** The last word, matched as a prefix. */
  readonly prefix: string;
}

/** Parses `q`; undefined when it holds no word at all (empty or only punctuation), i.e. no text filter. */
export function parseTextQuery(q: string): TextQuery | undefined {
  const folded = foldedWords(q);
  const prefix = folded.at(-1);
  if (prefix === undefined) return undefined;
  return { exactWords: [...new Set(folded.slice(0, -1))], prefix };
}

/**
 * The one stored term to look up with `array-contains`: the longest query word (cut to the stored length),
 * because a longer term matches fewer events and so leaves less to filter out afterwards. Every matching
 * event stores it: an exact word is its own prefix, and the last word is a prefix of an event word.
 */
export function lookupTermOf(query: TextQuery): string {
  const longest = query.exactWords.reduce(
    (best, word) => (word.length > best.length ? word : best),
    query.prefix,
  );
  return longest.slice(0, MAX_TERM_LENGTH);
}

/** Whether an event whose texts have the words `eventWords` matches `query` (see {@link TextQuery}). */
export function matchesTextQuery(query: TextQuery, eventWords: readonly string[]): boolean {
  const exact = new Set(eventWords);
  return (
    query.exactWords.every((word) => exact.has(word)) &&
    eventWords.some((eventWord) => eventWord.startsWith(query.prefix))
  );
}
