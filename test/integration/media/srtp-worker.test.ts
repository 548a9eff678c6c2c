import { MEDIASOUP_WORKER_BIN } from '../../support/media-worker';
import assert from 'node:assert/strict';
import { createSocket, type Socket } from 'node:dgram';
import * as mediasoup from 'mediasoup';
import type { types } from 'mediasoup';
import { MEDIA_CODECS } from '../../../server/media/codecs';
import { SrtpContext, newKeying, type SrtpKeying, type SrtpSuite } from '../../../scripts/bench/srtp';

/**
 * The worker's SRTP, end to end on loopback: what it forwards decrypts with the keys it gave, and
 * a packet whose tag, payload or header was changed on the way never gets through. This guards
 * scripts/build-mediasoup-worker's libsrtp patch (the AES-GCM glue sets the IV length once per
 * key and no longer sets a dummy tag before the AAD): if that broke authentication, the tampered
 * packets would be forwarded; if it broke encryption, the good ones would not decrypt.
 */

const PACKETS = 30;
const OPUS = MEDIA_CODECS.find((c) => c.mimeType === 'audio/opus')!;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A 12-byte RTP header and a payload that carries `index`, so the sink can tell which arrived. */
function rtpPacket(payloadType: number, ssrc: number, sequenceNumber: number, index: number): Buffer {
  const packet = Buffer.alloc(12 + 60, 0x5a);
  packet[0] = 0x80;
  packet[1] = payloadType;
  packet.writeUInt16BE(sequenceNumber, 2);
  packet.writeUInt32BE(sequenceNumber * 960, 4);
  packet.writeUInt32BE(ssrc, 8);
  packet[12] = 0xfc; // an Opus TOC byte (SILK wideband, 20 ms)
  packet.writeUInt32BE(index, 13);
  return packet;
}

/** The index `rtpPacket` wrote, wherever the payload starts (the worker adds header extensions). */
function indexOf(packet: Buffer): number {
  let offset = 12 + (packet[0]! & 0x0f) * 4;
  if (packet[0]! & 0x10) offset += 4 + packet.readUInt16BE(offset + 2) * 4;
  return packet.readUInt32BE(offset + 1);
}

/** Where a tampered packet is changed: the tag at the end, the encrypted payload, or the header (the AAD). */
const TAMPERS: Record<string, (packet: Buffer) => void> = {
  tag: (p) => void (p[p.length - 1]! ^= 0x01),
  payload: (p) => void (p[20]! ^= 0x80),
  header: (p) => void (p[4]! ^= 0x01), // the timestamp: authenticated, not encrypted
};

async function udpSocket(): Promise<Socket> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return socket;
}

describe('media: the worker authenticates and encrypts SRTP (real mediasoup worker)', function () {
  this.timeout(30000);
  let worker: types.Worker;
  const sockets: Socket[] = [];

  before(async function () {
    if (!MEDIASOUP_WORKER_BIN) throw new Error('no mediasoup worker: run scripts/build-mediasoup-worker');
    worker = await mediasoup.createWorker({ logLevel: 'error' });
  });
  after(() => {
    for (const socket of sockets) socket.close();
    worker?.close();
  });

  for (const suite of ['AEAD_AES_256_GCM', 'AES_CM_128_HMAC_SHA1_80'] as const satisfies SrtpSuite[]) {
    it(`${suite}: forwards every good packet, decryptable by the receiver, and none that was tampered with`, async () => {
      const router = await worker.createRouter({ mediaCodecs: MEDIA_CODECS });
      try {
        const srtp = { enableSrtp: true, srtpCryptoSuite: suite };
        const listenInfo = { protocol: 'udp' as const, ip: '127.0.0.1' };
        const sinkSocket = await udpSocket();
        const senderSocket = await udpSocket();
        sockets.push(sinkSocket, senderSocket);

        const send = await router.createPlainTransport({ listenInfo, rtcpMux: true, comedia: true, ...srtp });
        const senderKeys = newKeying(suite);
        await send.connect({ srtpParameters: senderKeys });
        const payloadType = router.rtpCapabilities.codecs!.find(
          (c) => c.mimeType === 'audio/opus',
        )!.preferredPayloadType!;
        const ssrc = 0x2a000000 + Math.floor(Math.random() * 0xffff);
        const producer = await send.produce({
          kind: 'audio',
          rtpParameters: {
            codecs: [{ mimeType: 'audio/opus', payloadType, clockRate: OPUS.clockRate, channels: 2 }],
            encodings: [{ ssrc }],
          },
        });

        const receive = await router.createPlainTransport({
          listenInfo,
          rtcpMux: true,
          comedia: false,
          ...srtp,
        });
        await receive.connect({
          ip: '127.0.0.1',
          port: sinkSocket.address().port,
          srtpParameters: newKeying(suite),
        });
        await receive.consume({ producerId: producer.id, rtpCapabilities: router.rtpCapabilities });
        const sinkSrtp = new SrtpContext(receive.srtpParameters as SrtpKeying);
        const arrived: number[] = [];
        let undecryptable = 0;
        sinkSocket.on('message', (packet) => {
          if (packet[1]! >= 192 && packet[1]! <= 223) return; // RTCP
          const plain = sinkSrtp.unprotect(packet);
          if (plain) arrived.push(indexOf(plain));
          else undecryptable += 1;
        });

        // Good packets have even indexes; each odd one is a fresh sequence number (so replay
        // protection cannot be what stops it) whose SRTP packet was changed after protection.
        const senderSrtp = new SrtpContext(senderKeys);
        const tamperNames = Object.keys(TAMPERS);
        const good: number[] = [];
        for (let index = 0; index < PACKETS * 2; index += 1) {
          const packet = senderSrtp.protect(rtpPacket(payloadType, ssrc, 1000 + index, index));
          if (index % 2 === 1) TAMPERS[tamperNames[index % tamperNames.length]!]!(packet);
          else good.push(index);
          senderSocket.send(packet, send.tuple.localPort, '127.0.0.1');
          await sleep(5);
        }
        const deadline = Date.now() + 5000;
        while (arrived.length < good.length && Date.now() < deadline) await sleep(50);
        await sleep(200); // anything that should not arrive has had time to

        assert.deepEqual(
          [...arrived].sort((a, b) => a - b),
          good,
          'exactly the untampered packets are forwarded',
        );
        assert.equal(undecryptable, 0, 'everything the worker sent decrypts with the keys it gave');
        const [stats] = await producer.getStats();
        assert.equal(stats?.packetCount, good.length, 'the producer counted only authenticated packets');
      } finally {
        router.close();
      }
    });
  }
});
