// Smoke check for a mediasoup worker built by scripts/build-mediasoup-worker.
//
// Run as: MEDIASOUP_WORKER_BIN=/path/to/mediasoup-worker node smoke-check.mjs
// from a directory where `mediasoup` (the same version) is installed; it is
// resolved from the current directory, not from this file's location.
//
// Beyond "the binary starts", it exercises exactly the pieces the build swaps
// for Debian's libraries or shims, so a wrong shim fails here rather than in
// a clinic:
//   - router with opus + VP8 and a WebRtcServer + WebRtcTransport on
//     127.0.0.1 (libuv, OpenSSL certificate/fingerprint generation);
//   - RTP that goes through an SRTP-encrypted hop between two routers, once
//     per crypto suite, and must come out byte-identical (libsrtp 2.5 behind
//     the libsrtp 3 shim: srtp_protect/srtp_unprotect and the RTCP pair);
//   - a data message piped between routers in two workers over SCTP
//     (Debian's usrsctp).
// All traffic stays on 127.0.0.1 and everything is closed at the end.

import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import dgram from 'node:dgram';
import { createRequire } from 'node:module';
import path from 'node:path';
import { clearInterval, setInterval, setTimeout } from 'node:timers';
import { setTimeout as sleep } from 'node:timers/promises';

const requireFromCwd = createRequire(path.join(process.cwd(), 'smoke-check.cjs'));
const mediasoup = requireFromCwd('mediasoup');

const LOOPBACK = '127.0.0.1';
const TIMEOUT_MS = 15000;
const SRTP_SUITES = ['AES_CM_128_HMAC_SHA1_80', 'AEAD_AES_256_GCM'];

const mediaCodecs = [
  { kind: 'audio', mimeType: 'audio/opus', clockRate: 48000, channels: 2 },
  { kind: 'video', mimeType: 'video/VP8', clockRate: 90000 },
];

const log = (...args) => console.log('[smoke]', ...args);

function udpSocket() {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket('udp4');
    socket.once('error', reject);
    socket.bind(0, LOOPBACK, () => resolve(socket));
  });
}

// Minimal RTP packet: V=2, PT=100, given seq/ssrc, payload carries a marker.
function rtpPacket(seq, ssrc, payload) {
  const header = Buffer.alloc(12);
  header[0] = 0x80;
  header[1] = 100;
  header.writeUInt16BE(seq & 0xffff, 2);
  header.writeUInt32BE((seq * 960) >>> 0, 4);
  header.writeUInt32BE(ssrc, 8);
  return Buffer.concat([header, payload]);
}

function rtpPayload(packet) {
  // RTCP (RFC 5761: second byte 192..223) shares the port with rtcpMux.
  if (packet.length < 12 || (packet[0] & 0xc0) !== 0x80) return null;
  if (packet[1] >= 192 && packet[1] <= 223) return null;
  const csrcCount = packet[0] & 0x0f;
  let offset = 12 + 4 * csrcCount;
  if (packet[0] & 0x10) {
    // Header extension: 4-byte header + length in 32-bit words.
    offset += 4 + 4 * packet.readUInt16BE(offset + 2);
  }
  return packet.subarray(offset);
}

async function main() {
  const worker = await mediasoup.createWorker({ logLevel: 'warn' });
  let died = null;
  worker.on('died', (error) => {
    died = error;
  });
  const sockets = [];

  try {
    log(`worker pid ${worker.pid} up, mediasoup ${mediasoup.version}`);

    // 1. Router + WebRtcServer + WebRtcTransport on loopback.
    const router = await worker.createRouter({ mediaCodecs });
    const codecs = router.rtpCapabilities.codecs.map((c) => c.mimeType);
    assert.ok(codecs.includes('audio/opus') && codecs.includes('video/VP8'), `codecs: ${codecs}`);

    const webRtcServer = await worker.createWebRtcServer({
      listenInfos: [
        { protocol: 'udp', ip: LOOPBACK },
        { protocol: 'tcp', ip: LOOPBACK },
      ],
    });
    const webRtcTransport = await router.createWebRtcTransport({ webRtcServer, enableSctp: true });
    assert.equal(webRtcTransport.iceCandidates.length, 2);
    assert.ok(webRtcTransport.dtlsParameters.fingerprints.length > 0);
    log(
      'WebRtcServer listening on',
      webRtcTransport.iceCandidates.map((c) => `${c.protocol}/${c.address}:${c.port}`).join(' '),
    );

    // 2. RTP through an SRTP hop per crypto suite:
    //    us -> ingress (plain) -> [router] -> srtpA ==SRTP==> srtpB -> [routerB] -> egress -> us
    const source = await udpSocket();
    sockets.push(source);
    const ingress = await router.createPlainTransport({
      listenInfo: { protocol: 'udp', ip: LOOPBACK },
      rtcpMux: true,
      comedia: true,
    });
    const ssrc = 11111111;
    const producer = await ingress.produce({
      kind: 'audio',
      rtpParameters: {
        codecs: [{ mimeType: 'audio/opus', payloadType: 100, clockRate: 48000, channels: 2 }],
        encodings: [{ ssrc }],
      },
    });

    const received = new Map();
    for (const srtpCryptoSuite of SRTP_SUITES) {
      const routerB = await worker.createRouter({ mediaCodecs });
      const plain = { listenInfo: { protocol: 'udp', ip: LOOPBACK }, rtcpMux: true, comedia: false };
      const srtpA = await router.createPlainTransport({ ...plain, enableSrtp: true, srtpCryptoSuite });
      const srtpB = await routerB.createPlainTransport({ ...plain, enableSrtp: true, srtpCryptoSuite });
      await srtpA.connect({
        ip: LOOPBACK,
        port: srtpB.tuple.localPort,
        srtpParameters: srtpB.srtpParameters,
      });
      await srtpB.connect({
        ip: LOOPBACK,
        port: srtpA.tuple.localPort,
        srtpParameters: srtpA.srtpParameters,
      });
      const hop = await srtpA.consume({ producerId: producer.id, rtpCapabilities: router.rtpCapabilities });
      const relayed = await srtpB.produce({ kind: 'audio', rtpParameters: hop.rtpParameters });

      const sink = await udpSocket();
      sockets.push(sink);
      const egress = await routerB.createPlainTransport(plain);
      await egress.connect({ ip: LOOPBACK, port: sink.address().port });
      await egress.consume({ producerId: relayed.id, rtpCapabilities: routerB.rtpCapabilities });

      const got = new Set();
      received.set(srtpCryptoSuite, got);
      sink.on('message', (packet) => {
        const payload = rtpPayload(packet);
        if (payload && payload.toString().startsWith('haven-smoke-')) got.add(payload.toString());
      });
    }

    const dataDone = pipeData(router);
    dataDone.catch(() => {}); // awaited below; don't let an early failure go unhandled

    let seq = 0;
    const deadline = Date.now() + TIMEOUT_MS;
    while ([...received.values()].some((got) => got.size < 5)) {
      if (died) throw new Error(`worker died: ${died}`);
      if (Date.now() > deadline) {
        const counts = [...received].map(([suite, got]) => `${suite}=${got.size}`).join(' ');
        throw new Error(`RTP did not make it through the SRTP hops in time (${counts})`);
      }
      seq += 1;
      source.send(rtpPacket(seq, ssrc, Buffer.from(`haven-smoke-${seq}`)), ingress.tuple.localPort, LOOPBACK);
      await sleep(20);
    }
    for (const [suite, got] of received) log(`SRTP ${suite}: ${got.size} RTP packets relayed intact`);

    await dataDone;

    // With io_uring active (Linux >= 6), UDP sends went through the
    // io_uring_prep_sendto() shim; the intact relays above prove it.
    const { liburing } = await worker.dump();
    log(liburing ? `io_uring active: ${JSON.stringify(liburing)}` : 'io_uring not in use');

    if (died) throw new Error(`worker died: ${died}`);
    log('OK');
  } finally {
    for (const socket of sockets) socket.close();
    worker.close();
  }
}

// Data message router -> routerB over a PipeTransport pair, i.e. over an SCTP
// association between two usrsctp endpoints. routerB lives in a second
// worker: piped (data) producers keep their ids and a worker registers its
// handlers by id, so a pipe between two routers of one worker fails with
// "Channel request handler with ID ... already exists".
async function pipeData(router) {
  const workerB = await mediasoup.createWorker({ logLevel: 'warn' });
  try {
    await pipeDataTo(router, await workerB.createRouter({ mediaCodecs }));
  } finally {
    workerB.close();
  }
}

async function pipeDataTo(router, routerB) {
  const direct = await router.createDirectTransport();
  const dataProducer = await direct.produceData({ label: 'smoke' });
  await router.pipeToRouter({ dataProducerId: dataProducer.id, router: routerB });
  const directB = await routerB.createDirectTransport();
  const dataConsumer = await directB.consumeData({ dataProducerId: dataProducer.id });

  const message = new Promise((resolve) => dataConsumer.once('message', (msg) => resolve(msg.toString())));
  // The SCTP association comes up asynchronously; resend until it is through.
  const timer = setInterval(() => dataProducer.send('haven-smoke-data'), 100);
  try {
    const got = await Promise.race([
      message,
      new Promise((_, reject) =>
        setTimeout(() => reject(new Error('SCTP data message not received in time')), TIMEOUT_MS),
      ),
    ]);
    assert.equal(got, 'haven-smoke-data');
    log('SCTP data channel between routers: message relayed');
  } finally {
    clearInterval(timer);
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error('[smoke] FAILED:', error && error.stack ? error.stack : error);
    process.exit(1);
  },
);
