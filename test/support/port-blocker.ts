import { createSocket, type Socket } from 'node:dgram';

/**
 * Holds a UDP port on loopback, e.g. the port a dead media worker had, so its replacement cannot
 * listen there until `release()`: the state "no worker alive" lasts as long as a test needs.
 */
export async function holdUdpPort(port: number): Promise<{ release(): Promise<void> }> {
  const socket: Socket = createSocket('udp4');
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(port, '127.0.0.1', () => resolve());
  });
  return {
    release: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}

/** Polls `test` every 50 ms until it holds or `ms` pass (then throws naming `what`). */
export async function eventually<T>(
  what: string,
  test: () => Promise<T | null | false | undefined> | T | null | false | undefined,
  ms = 15_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await test();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
