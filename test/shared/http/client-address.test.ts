import { clientAddress, rateLimitAddress } from '../../../shared/http/client-address';

describe('clientAddress', () => {
  it('takes the last X-Forwarded-For entry, the one Google’s front end wrote', () => {
    expect(clientAddress('203.0.113.7', '10.0.0.1')).toBe('203.0.113.7');
    expect(clientAddress('198.51.100.1, 203.0.113.7', '10.0.0.1')).toBe('203.0.113.7');
    expect(clientAddress('spoofed,  203.0.113.7 ', undefined)).toBe('203.0.113.7');
  });

  it('falls back to the socket peer without the header, or with an empty one', () => {
    expect(clientAddress(undefined, '127.0.0.1')).toBe('127.0.0.1');
    expect(clientAddress(' , ', '127.0.0.1')).toBe('127.0.0.1');
    expect(clientAddress(undefined, undefined)).toBe('unknown');
  });
});

describe('rateLimitAddress', () => {
  it('keeps IPv4 addresses and unwraps IPv4-mapped IPv6 ones', () => {
    expect(rateLimitAddress('192.0.2.1')).toBe('192.0.2.1');
    expect(rateLimitAddress('::ffff:192.0.2.1')).toBe('192.0.2.1');
    expect(rateLimitAddress('::FFFF:192.0.2.1')).toBe('192.0.2.1');
  });

  it('counts IPv6 clients per /64, however the address is written', () => {
    expect(rateLimitAddress('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(rateLimitAddress('2001:0db8:0001:0002:ffff:ffff:ffff:ffff')).toBe('2001:db8:1:2::/64');
    expect(rateLimitAddress('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(rateLimitAddress('::1')).toBe('0:0:0:0::/64');
    expect(rateLimitAddress('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(rateLimitAddress('64:ff9b::192.0.2.1')).toBe('64:ff9b:0:0::/64');
  });

  it('keeps anything else as it is', () => {
    expect(rateLimitAddress('unknown')).toBe('unknown');
  });
});
