/**
 * Types of the pre-call check ("can this browser reach the clinic's media server, directly and
 * through the relay?"). The media layer provides the probes as a port, so this feature never
 * imports mediasoup.
 */

/** 'direct': the browser's own addresses only; 'relay': only through the clinic's TURN server. */
export type ProbeMode = 'direct' | 'relay';

export type Negotiation = Record<string, unknown>;

/** An RTCIceServer with a short-lived TURN REST credential for one person. */
export interface IceServerView {
  readonly urls: readonly string[];
  readonly username: string;
  readonly credential: string;
}

/** What the media server itself saw on a probe's transport. */
export interface ProbeObservation {
  readonly iceState: string;
  readonly dtlsState: string;
  readonly protocol: string | null;
  readonly rtpBytesReceived: number;
}

/** Throw-away media transports on the same workers and ports as live sessions (server/media). */
export interface ProbePort {
  open(probeId: string): Promise<{ rtpCapabilities: unknown; transport: object }>;
  connect(probeId: string, dtlsParameters: Negotiation): Promise<void>;
  produce(probeId: string, rtpParameters: Negotiation): Promise<string>;
  observe(probeId: string): Promise<ProbeObservation>;
  close(probeId: string): void;
  closeAll(): void;
}

/** The answer to "start a test": everything a mediasoup-client send transport needs. */
export interface ProbeStart {
  readonly probeId: string;
  readonly mode: ProbeMode;
  readonly rtpCapabilities: unknown;
  readonly transport: object;
  /** Empty for 'direct' (host candidates only); the caller's own TURN credential for 'relay'. */
  readonly iceServers: readonly IceServerView[];
  readonly iceTransportPolicy: 'all' | 'relay';
  readonly expiresAt: string;
}

/** The verdict the page shows: did the server see ICE, DTLS and RTP complete? */
export interface ProbeResult extends ProbeObservation {
  readonly probeId: string;
  readonly mode: ProbeMode;
  readonly connected: boolean;
}

export interface ConnectivityLimits {
  /** A probe closes itself this long after it was opened. */
  readonly probeTtlMs: number;
  /** Probes one person may open per window… */
  readonly probesPerWindow: number;
  readonly windowMs: number;
  /** …and hold open at once. */
  readonly concurrentProbes: number;
}
