// The key one client's limits (REST rate limit, requests in flight, connections per client) are kept under.
import ipaddr from "ipaddr.js";

/**
 * How much of an IPv6 address names one client: its /56 (express-rate-limit's default `ipv6Subnet`). A host is
 * routinely given a whole /64 (a home or a VPS often a /56 or /48) and may use any address in it, so keyed by the
 * full address one client could take a fresh rate-limit bucket and connection quota with every request.
 */
export const IPV6_CLIENT_PREFIX = 56;

/**
 * An IPv4 address as it is (also when IPv4-mapped, `::ffff:a.b.c.d`, as a dual-stack socket reports it); an IPv6
 * address (any notation, a `%zone` dropped) as its /IPV6_CLIENT_PREFIX network (`2001:db8:1:200:0:0:0:0/56`);
 * anything else (no address) as it is. Parsing is ipaddr.js's (express's own, through proxy-addr).
 */
export function clientKey(ip: string): string {
  // ipaddr.js 1.x reads a dotted IPv4 tail only after ::ffff:, so any other (`::1.2.3.4`, as inet_ntop may print
  // one) is given to it as its two hex groups.
  const bare = ip.replace(/%.*$/, "").replace(/:(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/, (all, a: string, b: string, c: string, d: string) =>
    [a, b, c, d].every((x) => Number(x) <= 255) ? `:${((Number(a) << 8) | Number(b)).toString(16)}:${((Number(c) << 8) | Number(d)).toString(16)}` : all);
  if (!ipaddr.IPv6.isValid(bare)) return ip;
  const v6 = ipaddr.IPv6.parse(bare);
  if (v6.isIPv4MappedAddress()) return v6.toIPv4Address().toString();
  const kept = v6.toByteArray().map((b, i) => (i < IPV6_CLIENT_PREFIX / 8 ? b : 0));
  return `${ipaddr.fromByteArray(kept).toNormalizedString()}/${IPV6_CLIENT_PREFIX}`;
}
