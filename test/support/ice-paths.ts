import type { BrowserContext, Page } from 'playwright-core';

/** One RTCPeerConnection as the page's own getStats() describes its chosen path. */
export interface PathReport {
  policy: string | null;
  state: string;
  localType: string | null;
  localProtocol: string | null;
  /** For a relay candidate: the address coturn relays from, and the TURN server it came from. */
  localAddress: string | null;
  localUrl: string | null;
  remoteAddress: string | null;
  remotePort: number | null;
  framesDecoded: number;
}

/**
 * Counts every RTCPeerConnection the page makes (mediasoup-client's send and receive transports), so
 * a test can ask the browser itself which path each one took. Test instrumentation only: the
 * page's code is unchanged.
 */
const RECORD_PEER_CONNECTIONS = `(() => {
  const Original = window.RTCPeerConnection;
  const seen = [];
  window.__havenPeerConnections = seen;
  window.RTCPeerConnection = class extends Original {
    constructor(config, ...rest) {
      super(config, ...rest);
      seen.push({ pc: this, policy: (config && config.iceTransportPolicy) || null });
    }
  };
})();`;

/** Makes every page of the context record its peer connections (before any page script runs). */
export async function recordPeerConnections(context: BrowserContext): Promise<void> {
  await context.addInitScript({ content: RECORD_PEER_CONNECTIONS });
}

/** Every open transport of the page: its ICE policy and the selected candidate pair. */
export const iceStats = (page: Page): Promise<PathReport[]> =>
  page.evaluate(async () => {
    type Stat = Record<string, unknown>;
    const seen = (
      globalThis as unknown as {
        __havenPeerConnections: Array<{
          pc: { connectionState: string; getStats(): Promise<Map<string, Stat>> };
          policy: string | null;
        }>;
      }
    ).__havenPeerConnections;
    const out: PathReport[] = [];
    for (const { pc, policy } of seen) {
      if (pc.connectionState === 'closed') continue;
      const report = await pc.getStats();
      const all = [...report.values()];
      const transport = all.find((s) => s.type === 'transport');
      const pair = report.get(String(transport?.selectedCandidatePairId));
      const local = pair ? report.get(String(pair.localCandidateId)) : undefined;
      const remote = pair ? report.get(String(pair.remoteCandidateId)) : undefined;
      out.push({
        policy,
        state: pc.connectionState,
        localType: (local?.candidateType as string) ?? null,
        localProtocol: (local?.relayProtocol as string) ?? (local?.protocol as string) ?? null,
        localAddress: (local?.address as string) ?? null,
        localUrl: (local?.url as string) ?? null,
        remoteAddress: (remote?.address as string) ?? null,
        remotePort: (remote?.port as number) ?? null,
        framesDecoded: all
          .filter((s) => s.type === 'inbound-rtp' && s.kind === 'video')
          .reduce((n, s) => n + Number(s.framesDecoded ?? 0), 0),
      });
    }
    return out;
  });

/** Polls `probe` until `test` passes; the error names what was awaited and what was seen last. */
export async function until<T>(
  what: string,
  probe: () => Promise<T>,
  test: (v: T) => boolean,
  ms = 60_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await probe();
    if (test(last)) return last;
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`${what} did not happen within ${ms} ms; last ${JSON.stringify(last)}`);
}

/** Total video frames the page decoded over all its transports. */
export const framesDecoded = (report: readonly PathReport[]): number =>
  report.reduce((n, p) => n + p.framesDecoded, 0);
