// Child process of the media benchmark: one UDP socket per session receives what the session's
// consumers forward (SRTP-protected by the worker when the bench asks for it), and counts packets
// and latency by the trailer each packet carries.
import { createSocket, type Socket } from 'node:dgram';
import { isRtcp, readTrailer } from './rtp-packet';
import { SrtpContext } from './srtp';
import { nowUs, serveRequests, type SinkReport, type SinkRequest } from './traffic-ipc';
import { ReceivedCounter } from './window-stats';

const sockets: Socket[] = [];
const counter = new ReceivedCounter();
/** Per sink port: the worker's keys for what it sends there. */
const srtpByPort = new Map<number, SrtpContext>();
let foreign = 0;
let srtpFailures = 0;
let lowerLayers = 0;

async function openSink(): Promise<number> {
  const socket = createSocket('udp4');
  let srtp: SrtpContext | undefined;
  socket.on('message', (packet) => {
    const receivedAtUs = nowUs();
    srtp ??= srtpByPort.get(socket.address().port);
    let plain: Buffer | null = packet;
    if (srtp && !isRtcp(packet)) {
      plain = srtp.unprotect(packet);
      if (!plain) {
        srtpFailures += 1;
        return;
      }
    }
    const trailer = readTrailer(plain);
    // RTCP sender reports from the consumers' transports land here too; they are not counted.
    if (!trailer) {
      foreign += 1;
      return;
    }
    if (trailer.lowerLayer) {
      lowerLayers += 1;
      return;
    }
    counter.count(trailer.kind, trailer.sentAtUs, receivedAtUs, trailer.streamId, trailer.seq);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  // Room for ~1,500 video packets: a short stall of this process must not read as mediasoup loss.
  socket.setRecvBufferSize(4 << 20);
  sockets.push(socket);
  return socket.address().port;
}

serveRequests<SinkRequest>(async (request): Promise<unknown> => {
  switch (request.op) {
    case 'open': {
      const ports: number[] = [];
      for (let i = 0; i < request.count; i += 1) ports.push(await openSink());
      return ports;
    }
    case 'keys':
      for (const { port, srtp } of request.keys) srtpByPort.set(port, new SrtpContext(srtp));
      return null;
    case 'window':
      counter.start(request.window);
      foreign = 0;
      srtpFailures = 0;
      lowerLayers = 0;
      return null;
    case 'report': {
      const latency = counter.latency();
      const report: SinkReport = {
        received: { ...counter.received },
        p50Ms: latency.p50Ms,
        p99Ms: latency.p99Ms,
        maxMs: latency.maxMs,
        foreign,
        duplicates: counter.duplicates,
        srtpFailures,
        lowerLayers,
      };
      return report;
    }
  }
});

process.on('SIGTERM', () => {
  for (const socket of sockets) socket.close();
  process.exit(0);
});
