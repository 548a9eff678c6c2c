/**
 * The pre-call check's JSON endpoints (`/check/probes…`): a signed-in person's browser opens a
 * throw-away transport on the clinic's media server and asks what the server saw.
 */
import type { ErrorCode } from './error-codes';
import type { IceServerView, IceTransportPolicy } from './rooms';
import type { DtlsParameters, IceCandidate, IceParameters, RtpCapabilities, RtpParameters } from './rooms';

/** 'direct': the browser's own addresses only; 'relay': only through the clinic's TURN server. */
export type ProbeMode = 'direct' | 'relay';

/** One send transport, as mediasoup-client builds it. */
export interface ProbeTransport {
  readonly id: string;
  readonly iceParameters: IceParameters;
  readonly iceCandidates: readonly IceCandidate[];
  readonly dtlsParameters: DtlsParameters;
}

/** `POST /check/probes` `{ mode }` → 201 with everything a mediasoup-client send transport needs. */
export interface ProbeStart {
  readonly probeId: string;
  readonly mode: ProbeMode;
  readonly rtpCapabilities: RtpCapabilities;
  readonly transport: ProbeTransport;
  /** Empty for 'direct' (host candidates only); the caller's own TURN credential for 'relay'. */
  readonly iceServers: readonly IceServerView[];
  readonly iceTransportPolicy: IceTransportPolicy;
  readonly expiresAt: string;
}

/** `POST /check/probes/:id/connect` (204). */
export interface ProbeConnectInput {
  readonly dtlsParameters: DtlsParameters;
}

/** `POST /check/probes/:id/produce` → `{ id }`. */
export interface ProbeProduceInput {
  readonly kind: 'audio';
  readonly rtpParameters: RtpParameters;
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

/** `GET /check/probes/:id`: did the server see ICE, DTLS and RTP complete? */
export interface ProbeResult extends ProbeObservation {
  readonly probeId: string;
  readonly mode: ProbeMode;
  readonly connected: boolean;
}

/** The body of any JSON error answer (the HTTP error handler's). */
export interface HttpErrorBody {
  readonly error: { readonly code: ErrorCode; readonly message: string; readonly requestId: string };
}
