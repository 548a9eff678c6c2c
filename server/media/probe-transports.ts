import type { types } from 'mediasoup';
import { AppError, phrase } from '../shared/errors';
import { INITIAL_OUTGOING_BITRATE } from './codecs';
import type { RouterPlacement } from './media-worker-pool';
import type { RtpCapabilities, TransportParams } from './media.types';

/** Where probes get their router: the same worker pool (and WebRtcServer ports) as the rooms. */
export interface RouterSource {
  createRouter(appData: Record<string, unknown>): Promise<RouterPlacement>;
}

/** A probe as the browser needs it: the router's codecs and one send transport. */
export interface ProbeOffer {
  readonly rtpCapabilities: RtpCapabilities;
  readonly transport: TransportParams;
}

/** What the media server itself saw on a probe's transport. */
export interface ProbeObservation {
  readonly iceState: string;
  readonly dtlsState: string;
  /** 'udp' | 'tcp' once ICE has picked a path, else null. */
  readonly protocol: string | null;
  /** RTP bytes that arrived: proof that media, not only the handshake, got through. */
  readonly rtpBytesReceived: number;
}

interface Probe {
  readonly router: types.Router;
  readonly transport: types.WebRtcTransport;
  producer: types.Producer | null;
}

const notFound = (): AppError =>
  new AppError('check.probe_not_found', 'not_found', phrase('check:problem.probeEnded'));

/**
 * Throw-away media paths for the pre-call check. Each probe is its own router with one WebRTC send
 * transport on the worker's WebRtcServer, exactly where a session's media would go, so "it
 * connected" means a session would too. A probe can only listen on Haven's own media port and
 * answer whoever sends it ICE (mediasoup is ICE-lite): nothing here dials an address, so a caller
 * can never aim it anywhere. Callers (the connectivity feature) own ids, owners and lifetimes.
 */
export class ProbeTransports {
  readonly #routers: RouterSource;
  readonly #probes = new Map<string, Probe>();

  constructor(routers: RouterSource) {
    this.#routers = routers;
  }

  get size(): number {
    return this.#probes.size;
  }

  async open(probeId: string): Promise<ProbeOffer> {
    if (this.#probes.has(probeId)) throw new AppError('check.probe_exists', 'conflict');
    const { router, webRtcServer } = await this.#routers.createRouter({ probe: probeId });
    try {
      const transport = await router.createWebRtcTransport({
        webRtcServer,
        enableUdp: true,
        enableTcp: true,
        preferUdp: true,
        initialAvailableOutgoingBitrate: INITIAL_OUTGOING_BITRATE,
        appData: { probe: probeId },
      });
      // The worker dying closes the router: forget the probe with it.
      router.observer.once('close', () => this.#probes.delete(probeId));
      this.#probes.set(probeId, { router, transport, producer: null });
      return {
        rtpCapabilities: router.rtpCapabilities,
        transport: {
          id: transport.id,
          iceParameters: transport.iceParameters,
          iceCandidates: transport.iceCandidates,
          dtlsParameters: transport.dtlsParameters,
        },
      };
    } catch (error) {
      router.close();
      throw error;
    }
  }

  async connect(probeId: string, dtlsParameters: types.DtlsParameters): Promise<void> {
    await this.#probe(probeId).transport.connect({ dtlsParameters });
  }

  /** One audio track (the page sends a quiet tone), so RTP, not only DTLS, is shown to pass. */
  async produce(probeId: string, rtpParameters: types.RtpParameters): Promise<string> {
    const probe = this.#probe(probeId);
    if (probe.producer)
      throw new AppError('check.probe_producing', 'conflict', phrase('check:problem.probeSending'));
    probe.producer = await probe.transport.produce({ kind: 'audio', rtpParameters });
    return probe.producer.id;
  }

  async observe(probeId: string): Promise<ProbeObservation> {
    const { transport } = this.#probe(probeId);
    const [stats] = await transport.getStats();
    return {
      iceState: transport.iceState,
      dtlsState: transport.dtlsState,
      protocol: transport.iceSelectedTuple?.protocol ?? null,
      rtpBytesReceived: stats?.rtpBytesReceived ?? 0,
    };
  }

  /** Idempotent. */
  close(probeId: string): void {
    const probe = this.#probes.get(probeId);
    this.#probes.delete(probeId);
    if (probe && !probe.router.closed) probe.router.close();
  }

  closeAll(): void {
    for (const id of [...this.#probes.keys()]) this.close(id);
  }

  #probe(probeId: string): Probe {
    const probe = this.#probes.get(probeId);
    if (!probe || probe.router.closed) throw notFound();
    return probe;
  }
}
