import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Haven } from '../../server/app';

/** An HTTP server on a random loopback port, for browser tests against a test Haven. */
export interface LoopbackServer {
  readonly server: Server;
  /** `http://127.0.0.1:<port>`: give it to Haven as PUBLIC_URL when sockets must pass the origin check. */
  readonly base: string;
  /** Serves this Haven's pages (and its socket.io endpoint with `realtime`). */
  serve(haven: Haven, options?: { realtime?: boolean }): void;
  /** Drops open connections and stops listening. */
  close(): Promise<void>;
}

/** Listens first, so the address is known before Haven is built (PUBLIC_URL). */
export async function listenOnLoopback(): Promise<LoopbackServer> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    server,
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    serve(haven, options = {}) {
      server.on('request', haven.http);
      if (options.realtime) haven.attachRealtime(server);
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
