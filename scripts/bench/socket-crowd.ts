// Many sockets of one signed-in person against a built Haven, as many open pages hold them: opened
// in batches, asked one request each at once, closed. bench:signaling and bench:scale use them.
import { io as connect, type Socket } from 'socket.io-client';

/** Handshakes in flight at once: a crowd arriving, not a single connection storm. */
export const BATCH = 50;

function open(url: string, cookie: string): Promise<{ socket: Socket; ms: number }> {
  const started = performance.now();
  const socket = connect(url, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    extraHeaders: { cookie, origin: url },
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve({ socket, ms: performance.now() - started }));
    socket.once('connect_error', (error) => reject(new Error(`socket refused: ${error.message}`)));
  });
}

export async function openMany(
  url: string,
  cookie: string,
  count: number,
): Promise<{ sockets: Socket[]; ms: number[] }> {
  const sockets: Socket[] = [];
  const ms: number[] = [];
  for (let i = 0; i < count; i += BATCH) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(BATCH, count - i) }, () => open(url, cookie)),
    );
    for (const opened of batch) {
      sockets.push(opened.socket);
      ms.push(opened.ms);
    }
  }
  return { sockets, ms };
}

export async function closeAll(sockets: readonly Socket[]): Promise<void> {
  for (const socket of sockets) socket.disconnect();
  // Let the server see every close before the next measurement.
  await new Promise((resolve) => setTimeout(resolve, 500));
}

/** Every socket asks `message:subscribe` at once (what a page does first); the time to each ack. */
export async function ackLatencies(sockets: readonly Socket[]): Promise<number[]> {
  return Promise.all(
    sockets.map(async (socket) => {
      const started = performance.now();
      const reply = (await socket.timeout(30_000).emitWithAck('message:subscribe', {})) as { ok: boolean };
      if (!reply.ok) throw new Error(`message:subscribe refused: ${JSON.stringify(reply)}`);
      return performance.now() - started;
    }),
  );
}
