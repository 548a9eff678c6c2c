import assert from 'node:assert/strict';
import { callgrindBreakdown } from '../../../scripts/bench/callgrind-breakdown';

// Lines as callgrind_annotate --threshold=100 --auto=no prints them (shortened paths).
const ANNOTATED = `
--------------------------------------------------------------------------------
1,000,000 (100.0%)  PROGRAM TOTALS

--------------------------------------------------------------------------------
Ir                    file:function
--------------------------------------------------------------------------------
1,000,000 (100.0%)  ???:DepLibUV::RunLoop() [/cache/mediasoup-worker]
  200,000 (20.00%)  ???:0x0000000000241c80 [/usr/lib/x86_64-linux-gnu/libcrypto.so.3]
   50,000 ( 5.00%)  ???:OSSL_PARAM_locate [/usr/lib/x86_64-linux-gnu/libcrypto.so.3]
   20,000 ( 2.00%)  ???:srtp_unprotect_mki [/cache/mediasoup-worker]
   40,000 ( 4.00%)  ./malloc/./malloc/malloc.c:_int_free [/usr/lib/x86_64-linux-gnu/libc.so.6]
   30,000 ( 3.00%)  ./malloc/./malloc/malloc.c:malloc [/usr/lib/x86_64-linux-gnu/libc.so.6]
   10,000 ( 1.00%)  ???:operator new(unsigned long) [/usr/lib/x86_64-linux-gnu/libstdc++.so.6.0.30]
    5,000 ( 0.50%)  ???:mi_free [/usr/lib/x86_64-linux-gnu/libmimalloc.so.2.0]
   60,000 ( 6.00%)  ???:RTC::RtpPacket::Clone() const [/cache/mediasoup-worker]
   45,000 ( 4.50%)  ./string/../sysdeps/x86_64/multiarch/strcmp-avx2.S:__strcmp_avx2 [/usr/lib/x86_64-linux-gnu/libc.so.6]
    4,000 ( 0.40%)  ???:RTC::Producer::freeSlots(int) [/cache/mediasoup-worker]
`;

describe('media benchmark: callgrind breakdown of the worker', () => {
  it('reads the total and the self cost of the crypto libraries and of the allocator', () => {
    const b = callgrindBreakdown(ANNOTATED);
    assert.equal(b.instructions, 1_000_000);
    assert.equal(b.cryptoShare, 0.27); // libcrypto twice, libsrtp's srtp_*
    assert.equal(b.allocatorShare, 0.085); // _int_free, malloc, operator new, mimalloc
  });

  it('says NaN, not 0, when the dump has no total', () => {
    assert.ok(Number.isNaN(callgrindBreakdown('nothing here').instructions));
  });
});
