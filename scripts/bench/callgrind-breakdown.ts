/**
 * Where a callgrind dump's instructions went, from `callgrind_annotate --threshold=100` output:
 * the total, and the self cost of two groups that a build of the worker can change: the crypto
 * libraries with libsrtp, and the memory allocator.
 */
export interface CallgrindBreakdown {
  readonly instructions: number;
  /** Share of all instructions spent in OpenSSL's libcrypto, NSS (and its freebl) or libsrtp. */
  readonly cryptoShare: number;
  /** Share spent in malloc/free and their C++ forms (glibc's, or a replacement allocator's). */
  readonly allocatorShare: number;
}

const CRYPTO = /\[[^\]]*(libcrypto|libnss|libfreebl|libsoftokn|libsrtp)[^\]]*\]$|:srtp_/i;
const ALLOCATOR =
  /\[[^\]]*lib(mimalloc|jemalloc|tcmalloc)[^\]]*\]$|:(malloc|free|calloc|realloc|cfree|_int_malloc|_int_free|_int_realloc|malloc_consolidate|unlink_chunk[.\w]*|tcache_[\w.]+|operator new\b[^[]*|operator delete\b[^[]*) \[/;

export function callgrindBreakdown(annotated: string): CallgrindBreakdown {
  const total = /^([\d,]+)\s+\(100\.0%\)\s+PROGRAM TOTALS/m.exec(annotated);
  const instructions = total ? Number(total[1]!.replace(/,/g, '')) : NaN;
  let crypto = 0;
  let allocator = 0;
  for (const line of annotated.split('\n')) {
    const m = /^\s*([\d,]+)\s+\(\s*([\d.]+)%\)\s+(.*)$/.exec(line);
    // 100% lines are the call chain above everything (main, the event loop), not self cost.
    if (!m || m[2] === '100.0') continue;
    const count = Number(m[1]!.replace(/,/g, ''));
    if (CRYPTO.test(m[3]!)) crypto += count;
    else if (ALLOCATOR.test(m[3]!)) allocator += count;
  }
  return { instructions, cryptoShare: crypto / instructions, allocatorShare: allocator / instructions };
}
