import { isIPv4, isIPv6 } from 'node:net';

const IPV4_MAPPED = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i;

/** The eight 16-bit groups of an IPv6 address, `::` expanded and an embedded IPv4 tail as two groups. */
function ipv6Groups(address: string): string[] {
  const groups = (part: string): string[] =>
    part === '' ? [] : part.split(':').flatMap((group) => (group.includes('.') ? ['0', '0'] : [group]));
  const [head = '', tail] = address.split('::');
  const leading = groups(head);
  const trailing = tail === undefined ? [] : groups(tail);
  const zeros = Array.from({ length: 8 - leading.length - trailing.length }, () => '0');
  return [...leading, ...zeros, ...trailing];
}

/**
 * The address a rate limit counts a client under. IPv6 clients count per /64, the block one subscriber
 * line gets, since a client can pick any address inside it; IPv4-mapped IPv6 addresses count as IPv4.
 */
export function rateLimitAddress(address: string): string {
  const unzoned = address.split('%')[0] ?? address;
  const mapped = IPV4_MAPPED.exec(unzoned)?.[1];
  if (mapped !== undefined) return mapped;
  if (isIPv4(unzoned) || !isIPv6(unzoned)) return unzoned;
  const prefix = ipv6Groups(unzoned)
    .slice(0, 4)
    .map((group) => parseInt(group, 16).toString(16));
  return `${prefix.join(':')}::/64`;
}

/**
 * The client's address as Google's front end saw it: the last `X-Forwarded-For` entry, which the front end
 * writes itself (anything before it may come from the client and is ignored), else the socket's peer
 * (local runs, where no proxy adds the header).
 */
export function clientAddress(forwardedFor: string | undefined, socketAddress: string | undefined): string {
  const hops = (forwardedFor ?? '')
    .split(',')
    .map((hop) => hop.trim())
    .filter((hop) => hop !== '');
  return rateLimitAddress(hops.at(-1) ?? socketAddress ?? 'unknown');
}
