// Child process of the media benchmark: one UDP socket per session receives what the session's
// consumers forward, and counts packets and latency by the trailer each packet carries.
import { createSocket, type Socket } from 'node:dgram';
import { readTrailer } from './rtp-packet';
import { nowUs, serveRequests, type SinkReport, type SinkRequest } from './traffic-ipc';
import { ReceivedCounter } from './window-stats';

const sockets: Socket[] = [];
const counter = new ReceivedCounter();
let foreign = 0;

async function openSink(): Promise<number> {
  const socket = createSocket('udp4');
  socket.on('message', (packet) => {
    const receivedAtUs = nowUs();
    const trailer = readTrailer(packet);
    // RTCP sender reports from the consumers' transports land here too; they are not counted.
    if (!trailer) {
      foreign += 1;
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
    case 'window':
      counter.start(request.window);
      foreign = 0;
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
      };
      return report;
    }
  }
});

process.on('SIGTERM', () => {
  for (const socket of sockets) socket.close();
  process.exit(0);
});
