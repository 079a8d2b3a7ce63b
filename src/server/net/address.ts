import { isIPv4, isIPv6 } from "node:net";

/**
 * Why an IP address must not be the target of a request to a user-given URL, or null when it is a public unicast
 * address. Pure (no DNS), so it is unit-tested on its own; src/server/net/outbound.ts applies it.
 */
export type BlockedReason =
  | "unspecified"
  | "loopback"
  | "private"
  | "shared (CGNAT)"
  | "link-local"
  | "multicast"
  | "reserved"
  | "documentation"
  | "not an IP address";

type Range = [base: bigint, prefix: number, reason: BlockedReason];

function ipv4Number(address: string): bigint {
  return address.split(".").reduce((sum, part) => (sum << 8n) | BigInt(Number(part)), 0n);
}

function v4(cidr: string, reason: BlockedReason): Range {
  const [base = "", prefix = "32"] = cidr.split("/");
  return [ipv4Number(base), Number(prefix), reason];
}

// 169.254.0.0/16 also holds the cloud metadata services (169.254.169.254, 169.254.170.2); 100.100.100.200 (another
// cloud's) is in 100.64.0.0/10.
const IPV4_BLOCKED: Range[] = [
  v4("0.0.0.0/8", "unspecified"),
  v4("10.0.0.0/8", "private"),
  v4("100.64.0.0/10", "shared (CGNAT)"),
  v4("127.0.0.0/8", "loopback"),
  v4("169.254.0.0/16", "link-local"),
  v4("172.16.0.0/12", "private"),
  v4("192.0.0.0/24", "reserved"),
  v4("192.0.2.0/24", "documentation"),
  v4("192.88.99.0/24", "reserved"),
  v4("192.168.0.0/16", "private"),
  v4("198.18.0.0/15", "reserved"),
  v4("198.51.100.0/24", "documentation"),
  v4("203.0.113.0/24", "documentation"),
  v4("224.0.0.0/4", "multicast"),
  v4("240.0.0.0/4", "reserved"),
];

function inRange(value: bigint, bits: number, [base, prefix]: Range): boolean {
  const shift = BigInt(bits - prefix);
  return value >> shift === base >> shift;
}

/** The 128-bit value of an IPv6 address (with an optional embedded dotted IPv4 tail), or null. */
function ipv6Number(address: string): bigint | null {
  let text = address.toLowerCase();
  const zone = text.indexOf("%");
  if (zone !== -1) text = text.slice(0, zone);
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const tail = ipv4Number(dotted[1] ?? "");
    text = `${text.slice(0, dotted.index)}${(tail >> 16n).toString(16)}:${(tail & 0xffffn).toString(16)}`;
  }
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(":") : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(":") : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill("0"), ...tail];
  return groups.reduce((sum, group) => (sum << 16n) | BigInt(parseInt(group, 16)), 0n);
}

function v6(base: string, prefix: number, reason: BlockedReason): Range {
  return [ipv6Number(base) ?? 0n, prefix, reason];
}

const IPV6_BLOCKED: Range[] = [
  v6("::", 128, "unspecified"),
  v6("::1", 128, "loopback"),
  v6("100::", 64, "reserved"),
  v6("2001:db8::", 32, "documentation"),
  v6("fc00::", 7, "private"),
  v6("fe80::", 10, "link-local"),
  v6("fec0::", 10, "private"),
  v6("ff00::", 8, "multicast"),
];

/** IPv6 forms that carry an IPv4 address, which is what decides: mapped, NAT64, 6to4, and the old compatible form. */
function embeddedIpv4(value: bigint): bigint | null {
  if (value >> 32n === 0xffffn) return value & 0xffffffffn; // ::ffff:a.b.c.d
  if (value >> 32n === ipv6Number("64:ff9b::")! >> 32n) return value & 0xffffffffn; // NAT64
  if (value >> 112n === 0x2002n) return (value >> 80n) & 0xffffffffn; // 6to4 2002:aabb:ccdd::
  if (value >> 32n === 0n && value > 1n) return value & 0xffffffffn; // ::a.b.c.d (deprecated)
  return null;
}

function classifyIpv4(value: bigint): BlockedReason | null {
  if (value === 0xffffffffn) return "reserved";
  return IPV4_BLOCKED.find((range) => inRange(value, 32, range))?.[2] ?? null;
}

/** Why `address` (an IPv4 or IPv6 literal) may not be called, or null for a public unicast address. */
export function blockedReason(address: string): BlockedReason | null {
  if (isIPv4(address)) return classifyIpv4(ipv4Number(address));
  if (!isIPv6(address.split("%")[0] ?? "")) return "not an IP address";
  const value = ipv6Number(address);
  if (value === null) return "not an IP address";
  const embedded = embeddedIpv4(value);
  if (embedded !== null) return classifyIpv4(embedded);
  return IPV6_BLOCKED.find((range) => inRange(value, 128, range))?.[2] ?? null;
}
