import assert from 'node:assert/strict';
import { buildRtpPacket, readTrailer } from '../../../scripts/bench/rtp-packet';
import { SrtpContext, deriveSessionKey, newKeying, type SrtpSuite } from '../../../scripts/bench/srtp';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s/g, ''), 'hex');

function packet(seq: number, ssrc = 0x1234abcd): Buffer {
  return buildRtpPacket(
    { payloadType: 96, sequenceNumber: seq, timestamp: seq * 3000, ssrc, marker: false },
    Uint8Array.of(1, 2, 3),
    200,
    {
      streamId: 7,
      seq,
      kind: 'video',
      sentAtUs: 1,
    },
  );
}

describe('media benchmark: SRTP and simulcast', () => {
  it('marks lower simulcast layers in the trailer, so the sink does not expect them', () => {
    const header = { payloadType: 96, sequenceNumber: 1, timestamp: 1, ssrc: 1, marker: false };
    const trailer = { streamId: 1, seq: 1, kind: 'video' as const, sentAtUs: 1 };
    const lower = buildRtpPacket(header, Uint8Array.of(0), 100, { ...trailer, lowerLayer: true });
    assert.equal(readTrailer(lower)?.lowerLayer, true);
    assert.equal(readTrailer(buildRtpPacket(header, Uint8Array.of(0), 100, trailer))?.lowerLayer, undefined);
  });

  it('derives session keys as RFC 3711 (appendix B.3) says', () => {
    const key = hex('E1F97A0D3E018BE0D64FA32C06DE4139');
    const salt = hex('0EC675AD498AFEEBB6960B3AABE6');
    assert.equal(
      deriveSessionKey(key, salt, 0, 16).toString('hex').toUpperCase(),
      'C61E7A93744F39EE10734AFE3FF7A087',
    );
    assert.equal(
      deriveSessionKey(key, salt, 2, 14).toString('hex').toUpperCase(),
      '30CBBC08863D8C85D49DB34A9AE1',
    );
    assert.equal(
      deriveSessionKey(key, salt, 1, 20).toString('hex').toUpperCase(),
      'CEBE321F6FF7716B6FD4AB49AF256A156D38BAA4',
    );
  });

  for (const suite of ['AEAD_AES_256_GCM', 'AES_CM_128_HMAC_SHA1_80'] as SrtpSuite[]) {
    it(`${suite}: protects and unprotects across a sequence-number wrap; refuses tampering and wrong keys`, () => {
      const keying = newKeying(suite);
      const sender = new SrtpContext(keying);
      const receiver = new SrtpContext(keying);
      for (const seq of [0xfffd, 0xfffe, 0xffff, 0, 1, 2]) {
        const plain = packet(seq);
        const sealed = sender.protect(plain);
        assert.equal(sealed.length, plain.length + sender.overhead);
        assert.deepEqual(
          sealed.subarray(0, 12),
          plain.subarray(0, 12),
          'the RTP header travels in the clear',
        );
        assert.notDeepEqual(sealed.subarray(12, plain.length), plain.subarray(12));
        assert.deepEqual(receiver.unprotect(sealed), plain);
      }
      const sealed = sender.protect(packet(3));
      const tampered = Buffer.from(sealed);
      tampered[40]! ^= 1;
      assert.equal(receiver.unprotect(tampered), null);
      assert.equal(new SrtpContext(newKeying(suite)).unprotect(sealed), null);
    });
  }
});
