import { fingerprint, parseForm, type FormMap, type FormValue } from '../../../local/stripe/form';

/** A parsed form as plain objects, for readable expectations. */
function plain(value: FormValue): unknown {
  return typeof value === 'string' ? value : Object.fromEntries([...value].map(([k, v]) => [k, plain(v)]));
}

function parse(text: string): unknown {
  return plain(parseForm(text));
}

describe('Stripe sandbox: form decoding', () => {
  it('nests bracketed names as the SDK encodes hashes and arrays', () => {
    expect(
      parse(
        'amount=1000&metadata[booking_id]=b-1&metadata[user]=u+1&expand[0]=latest_charge&expand[1]=customer',
      ),
    ).toEqual({
      amount: '1000',
      metadata: { booking_id: 'b-1', user: 'u 1' },
      expand: { '0': 'latest_charge', '1': 'customer' },
    });
  });

  it('appends for empty brackets and decodes percent-encoded brackets', () => {
    expect(parse('expand[]=a&expand[]=b&metadata%5Bkey%5D=%E2%82%AC')).toEqual({
      expand: { '0': 'a', '1': 'b' },
      metadata: { key: '€' },
    });
  });

  it('keeps unusual names as ordinary keys', () => {
    const form: FormMap = parseForm('metadata[__proto__]=x&a[b=1');

    expect(plain(form)).toEqual({ metadata: { ['__proto__']: 'x' }, 'a[b': '1' });
    expect(Object.prototype).not.toHaveProperty('x');
  });

  it('refuses a name used both as a value and as a hash', () => {
    expect(() => parseForm('metadata=x&metadata[a]=y')).toThrow(/metadata/);
  });

  it('gives the same fingerprint to the same parameters in any order', () => {
    expect(fingerprint(parseForm('a=1&m[x]=1&m[y]=2'))).toBe(fingerprint(parseForm('m[y]=2&a=1&m[x]=1')));
    expect(fingerprint(parseForm('a=1'))).not.toBe(fingerprint(parseForm('a=2')));
  });
});
