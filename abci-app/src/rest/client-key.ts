// The key one client's limits (REST rate limit, requests in flight, connections per client) are kept under.
import { isIP } from "node:net";

/**
 * How much of an IPv6 address names one client: its /56 (express-rate-limit's default `ipv6Subnet`). A host is
 * routinely given a whole /64 (a home or a VPS often a /56 or /48) and may use any address in it, so keyed by the
 * full address one client could take a fresh rate-limit bucket and connection quota with every request.
 */
export const IPV6_CLIENT_PREFIX = 56;

/** The 16 bytes of an IPv6 address (`::` shorthand, an IPv4 tail, a `%zone` allowed), or undefined. */
function ipv6Bytes(ip: string): number[] | undefined {
  const a = ip.replace(/%.*$/, "");
  if (isIP(a) !== 6) return undefined;
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(a);
  const groups = (s: string): number[] => (s === "" ? [] : s.split(":").map((g) => parseInt(g, 16)));
  const head0 = v4 ? a.slice(0, v4.index) + "0:0" : a; // the IPv4 tail stands in as two groups, filled below
  const [left = "", right] = head0.split("::");
  const l = groups(left.replace(/:$/, "")), r = right === undefined ? [] : groups(right.replace(/^:/, ""));
  const words = [...l, ...Array(8 - l.length - r.length).fill(0), ...r];
  const bytes = words.flatMap((w) => [w >> 8, w & 255]);
  if (v4) bytes.splice(12, 4, ...v4.slice(1, 5).map(Number));
  return bytes;
}

/**
 * An IPv4 address as it is (also when IPv4-mapped, `::ffff:a.b.c.d`, as a dual-stack socket reports it); an IPv6
 * address as its /IPV6_CLIENT_PREFIX network (`2001:db8:1:200::/56`); anything else (no address) as it is.
 */
export function clientKey(ip: string): string {
  const b = ipv6Bytes(ip);
  if (b === undefined) return ip;
  if (b.slice(0, 10).every((x) => x === 0) && b[10] === 255 && b[11] === 255) return b.slice(12).join(".");
  const kept = b.map((x, i) => (i < IPV6_CLIENT_PREFIX / 8 ? x : 0));
  const words = Array.from({ length: 8 }, (_, i) => (((kept[2 * i] as number) << 8) | (kept[2 * i + 1] as number)).toString(16));
  return `${words.join(":")}/${IPV6_CLIENT_PREFIX}`;
}
