// Whom a rate-limit window belongs to. An IPv6 client usually holds a whole /64 (and privacy extensions rotate the
// low 64 bits), so per-address windows would let one client take up to 2^64 of them: IPv6 is limited per /64.

const HEXTET = /^[0-9a-f]{1,4}$/;

/** The eight 16-bit groups of an IPv6 address (`::` expanded, a trailing dotted IPv4 as two groups), or undefined. */
function hextets(address: string): number[] | undefined {
  let text = address.toLowerCase();
  const dotted = /^(.*:)(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (dotted) {
    const bytes = dotted.slice(2).map(Number);
    if (bytes.some((b) => b > 255)) return undefined;
    const [a = 0, b = 0, c = 0, d = 0] = bytes;
    text = `${dotted[1]}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const parse = (part: string | undefined) => (part ? part.split(":") : []);
  const head = parse(halves[0]);
  const tail = parse(halves[1]);
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill("0"), ...tail];
  if (!groups.every((g) => HEXTET.test(g))) return undefined;
  return groups.map((g) => Number.parseInt(g, 16));
}

/**
 * The rate-limit key of a client address: an IPv4 address as it is; an IPv6 address as its /64 prefix
 * (`2001:db8:1:2::/64`), or as the IPv4 address it maps (`::ffff:192.0.2.1`); anything else unchanged.
 */
export function clientKey(address: string): string {
  if (!address.includes(":")) return address;
  const groups = hextets(address);
  if (!groups) return address;
  const [a, b, c, d, e, f, g, h] = groups;
  if (
    a === 0 &&
    b === 0 &&
    c === 0 &&
    d === 0 &&
    e === 0 &&
    f === 0xffff &&
    g !== undefined &&
    h !== undefined
  ) {
    return [g >> 8, g & 0xff, h >> 8, h & 0xff].join(".");
  }
  return `${groups
    .slice(0, 4)
    .map((x) => x.toString(16))
    .join(":")}::/64`;
}
