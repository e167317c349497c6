/** IPv4/IPv6 address and CIDR matching without allocation-heavy libraries. */

/** Dotted-quad IPv4 as an unsigned 32-bit number, parsed without allocating. */
function v4(addr: string): number | undefined {
  let n = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < addr.length; i++) {
    const c = addr.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      part = part * 10 + (c - 48);
      if (++digits > 3 || part > 255) return undefined;
    } else if (c === 46) {
      if (digits === 0 || ++dots > 3) return undefined;
      n = n * 256 + part;
      part = 0;
      digits = 0;
    } else return undefined;
  }
  if (dots !== 3 || digits === 0) return undefined;
  return n * 256 + part;
}

function v6(addr: string): bigint | undefined {
  let a = addr.toLowerCase();
  if (a.startsWith("[") && a.endsWith("]")) a = a.slice(1, -1);
  const dbl = a.split("::");
  if (dbl.length > 2) return undefined;
  const head = dbl[0] ? dbl[0].split(":") : [];
  const tail = dbl.length === 2 && dbl[1] ? dbl[1].split(":") : [];
  const groups = dbl.length === 2 ? [...head, ...Array(8 - head.length - tail.length).fill("0"), ...tail] : head;
  if (groups.length !== 8) return undefined;
  let n = 0n;
  for (const g of groups) {
    if (!/^[0-9a-f]{1,4}$/.test(g)) return undefined;
    n = (n << 16n) | BigInt(parseInt(g, 16));
  }
  return n;
}

/** Does `addr` fall inside `range` (an address or a CIDR)? */
export function ipInRange(addr: string, range: string): boolean {
  const [net, bitsText] = range.split("/");
  if (net === undefined) return false;
  const a4 = v4(addr);
  const n4 = v4(net);
  if (a4 !== undefined && n4 !== undefined) {
    const bits = bitsText === undefined ? 32 : Number(bitsText);
    if (bits === 0) return true;
    const mask = bits >= 32 ? 0xffffffff : (~0 << (32 - bits)) >>> 0;
    return ((a4 & mask) >>> 0) === ((n4 & mask) >>> 0);
  }
  const a6 = v6(addr);
  const n6 = v6(net);
  if (a6 === undefined || n6 === undefined) return false;
  const bits = BigInt(bitsText === undefined ? 128 : Number(bitsText));
  const shift = 128n - bits;
  return a6 >> shift === n6 >> shift;
}
