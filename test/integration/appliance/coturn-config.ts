import { isIP } from 'node:net';

/** One `key` or `key=value` line of a turnserver.conf (comments and blanks dropped). */
export interface ConfLine {
  readonly key: string;
  readonly value: string | undefined;
}

export function parseTurnConf(text: string): ConfLine[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const eq = line.indexOf('=');
      return eq < 0
        ? { key: line, value: undefined }
        : { key: line.slice(0, eq).trim(), value: line.slice(eq + 1).trim() };
    });
}

/** An address as a number: IPv4 in 0..2^32-1; IPv6 (including ::ffff:a.b.c.d) in 0..2^128-1. */
export function ipToBigInt(ip: string): { family: 4 | 6; value: bigint } {
  const family = isIP(ip);
  if (family === 4) {
    const value = ip.split('.').reduce((acc, part) => (acc << 8n) + BigInt(Number(part)), 0n);
    return { family: 4, value };
  }
  if (family !== 6) throw new Error(`not an IP address: ${ip}`);
  let text = ip;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted?.[1]) {
    const v4 = ipToBigInt(dotted[1]).value;
    text = text.slice(0, -dotted[1].length) + `${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const headParts = head === '' ? [] : head.split(':');
  const tailParts = tail === undefined || tail === '' ? [] : tail.split(':');
  const zeros = tail === undefined ? 0 : 8 - headParts.length - tailParts.length;
  const groups = [...headParts, ...Array<string>(zeros).fill('0'), ...tailParts];
  const value = groups.reduce((acc, g) => (acc << 16n) + BigInt(parseInt(g, 16)), 0n);
  return { family: 6, value };
}

export interface IpRange {
  readonly text: string;
  readonly family: 4 | 6;
  readonly first: bigint;
  readonly last: bigint;
}

/** coturn's `ip` or `ip-ip` syntax. */
export function parseRange(text: string): IpRange {
  const [a = '', b] = text.split('-');
  const first = ipToBigInt(a.trim());
  const last = b === undefined ? first : ipToBigInt(b.trim());
  if (first.family !== last.family) throw new Error(`range mixes families: ${text}`);
  if (last.value < first.value) throw new Error(`range runs backwards: ${text}`);
  return { text, family: first.family, first: first.value, last: last.value };
}

/** Parses CIDR text ("10.0.0.0/8", "::ffff:127.0.0.0/104") into the range it denotes. */
export function cidr(text: string): IpRange {
  const [ip = '', bitsText = ''] = text.split('/');
  const { family, value } = ipToBigInt(ip);
  const width = family === 4 ? 32n : 128n;
  const hostBits = width - BigInt(Number(bitsText));
  const first = (value >> hostBits) << hostBits;
  return { text, family, first, last: first + (1n << hostBits) - 1n };
}

/** Is every address of `inner` inside one of `ranges` (ranges may be split into several lines)? */
export function covered(inner: IpRange, ranges: readonly IpRange[]): boolean {
  let next = inner.first;
  const sorted = ranges.filter((r) => r.family === inner.family).sort((x, y) => (x.first < y.first ? -1 : 1));
  for (const r of sorted) {
    if (r.first <= next && r.last >= next) next = r.last + 1n;
    if (next > inner.last) return true;
  }
  return next > inner.last;
}

/**
 * coturn compares IPv6 range bounds byte by byte (not as numbers), so a range is only what it says
 * when it is a whole prefix: first aligned to its size and the size a power of two.
 */
export function isPrefixAligned(range: IpRange): boolean {
  const size = range.last - range.first + 1n;
  return (size & (size - 1n)) === 0n && range.first % size === 0n;
}
