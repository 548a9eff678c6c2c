/**
 * Types of the pre-call check ("can this browser reach the clinic's media server, directly and
 * through the relay?"). The media layer provides the probes as a port, so this feature never
 * imports mediasoup. What the browser sees is declared in `protocol/check.ts`.
 */
import type {
  DtlsParameters,
  ProbeObservation,
  ProbeTransport,
  RtpCapabilities,
  RtpParameters,
} from '../protocol';

export type {
  IceServerView,
  ProbeMode,
  ProbeObservation,
  ProbeResult,
  ProbeStart,
  ProbeTransport,
} from '../protocol';

/** Throw-away media transports on the same workers and ports as live sessions (server/media). */
export interface ProbePort {
  open(probeId: string): Promise<{ rtpCapabilities: RtpCapabilities; transport: ProbeTransport }>;
  connect(probeId: string, dtlsParameters: DtlsParameters): Promise<void>;
  produce(probeId: string, rtpParameters: RtpParameters): Promise<string>;
  observe(probeId: string): Promise<ProbeObservation>;
  close(probeId: string): void;
  closeAll(): void;
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
