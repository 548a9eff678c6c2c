import { createServer } from 'node:net';

/**
 * A TCP port free on `host` right now (the OS picks it; the probe closes before returning). For
 * programs that must be told their port before they start: caddy, PostgreSQL, a second Haven.
 */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
