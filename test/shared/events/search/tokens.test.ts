import {
  lookupTermOf,
  matchesTextQuery,
  MAX_TERM_LENGTH,
  parseTextQuery,
  searchTermsOf,
  wordsOf,
} from '../../../../shared/events/search/tokens';

function query(q: string) {
  const parsed = parseTextQuery(q);
  if (parsed === undefined) throw new Error(`"${q}" has no words`);
  return parsed;
}

describe('wordsOf', () => {
  it('lower-cases, folds accents and splits on anything but letters and digits', () => {
    expect(wordsOf('Café-Concert: DÜSSELDORF 2027!')).toEqual(['cafe', 'concert', 'dusseldorf', '2027']);
  });

  it('folds compatibility forms such as ligatures and full-width letters', () => {
    expect(wordsOf('ﬁesta ＲＯＣＫ')).toEqual(['fiesta', 'rock']);
  });

  it('keeps letters of every script and drops duplicates', () => {
    expect(wordsOf('Москва москва 東京')).toEqual(['москва', '東京']);
  });

  it('has no words for punctuation only', () => {
    expect(wordsOf(' -- !! ')).toEqual([]);
  });
});

describe('searchTermsOf', () => {
  it('stores every prefix of every word', () => {
    expect(searchTermsOf(['Rock', 'Ro'])).toEqual(['r', 'ro', 'roc', 'rock']);
  });

  it('cuts long words to the maximal term length', () => {
    const terms = searchTermsOf(['a'.repeat(30)]);
    expect(terms).toHaveLength(MAX_TERM_LENGTH);
    expect(Math.max(...terms.map((term) => term.length))).toBe(MAX_TERM_LENGTH);
  });
});

describe('parseTextQuery', () => {
  it('treats the last word as a prefix and the others as exact words', () => {
    expect(parseTextQuery('Jazz  jazz Fes')).toEqual({ exactWords: ['jazz'], prefix: 'fes' });
  });

  it('is undefined without any word', () => {
    expect(parseTextQuery(' ?! ')).toBeUndefined();
  });
});

describe('matchesTextQuery', () => {
  const event = wordsOf('Jazz Festival at the Café Müller');

  it('matches exact words and a prefix of the last one, whatever the accents', () => {
    expect(matchesTextQuery(query('cafe mull'), event)).toBe(true);
    expect(matchesTextQuery(query('MÜLLER jazz'), event)).toBe(true);
  });

  it('requires every word before the last to match a whole word', () => {
    expect(matchesTextQuery(query('jaz festival'), event)).toBe(false);
  });

  it('requires the last word to start some word', () => {
    expect(matchesTextQuery(query('jazz rock'), event)).toBe(false);
  });
});

describe('lookupTermOf', () => {
  it('looks up the longest word, which every matching event stores', () => {
    const parsed = query('at festival ja');
    expect(lookupTermOf(parsed)).toBe('festival');
    expect(searchTermsOf(['Jazz Festival at the Café'])).toContain(lookupTermOf(parsed));
  });

  it('looks up long words by their stored prefix', () => {
    const long = 'b'.repeat(MAX_TERM_LENGTH + 5);
    expect(lookupTermOf(query(long))).toBe('b'.repeat(MAX_TERM_LENGTH));
    expect(searchTermsOf([long])).toContain(lookupTermOf(query(long)));
  });
});
