import type { types } from 'mediasoup';

/** Where a track comes from; decides layout and whether audio-only peers may receive it. */
export type MediaSource = 'mic' | 'camera' | 'screen';
export type TransportDirection = 'send' | 'recv';

/** Settings for the worker pool (a slice of the typed Config). */
export interface MediaPoolOptions {
  /** Worker processes; 0 = one per CPU core. */
  readonly workers: number;
  readonly listenIp: string;
  readonly announcedAddress: string;
  /** Worker i listens on basePort + i (UDP and TCP) through its WebRtcServer. */
  readonly basePort: number;
  readonly logLevel?: types.WorkerLogLevel;
}

/** What a browser needs to build its side of a transport (mediasoup-client's TransportOptions). */
export interface TransportParams {
  readonly id: string;
  readonly iceParameters: types.IceParameters;
  readonly iceCandidates: types.IceCandidate[];
  readonly dtlsParameters: types.DtlsParameters;
  readonly sctpParameters?: types.SctpParameters | undefined;
}

/** What a browser needs to open the warm-up data channel (mediasoup-client's DataConsumerOptions). */
export interface WarmUpParams {
  readonly id: string;
  readonly dataProducerId: string;
  readonly sctpStreamParameters: types.SctpStreamParameters;
  readonly label: string;
  readonly protocol: string;
}

/** What a browser needs to build a consumer. */
export interface ConsumerParams {
  readonly id: string;
  readonly producerId: string;
  readonly kind: types.MediaKind;
  readonly rtpParameters: types.RtpParameters;
  readonly producerPeerId: string;
  readonly source: MediaSource;
  readonly type: types.ConsumerType;
}

/** A producer as other peers see it. */
export interface ProducerInfo {
  readonly producerId: string;
  readonly peerId: string;
  readonly kind: types.MediaKind;
  readonly source: MediaSource;
  readonly paused: boolean;
}

export interface WorkerHealth {
  readonly index: number;
  readonly pid: number;
  readonly alive: boolean;
  readonly rooms: number;
  readonly port: number;
}

export type RtpCapabilities = types.RtpCapabilities;
export type DtlsParameters = types.DtlsParameters;
export type RtpParameters = types.RtpParameters;
export type MediaKind = types.MediaKind;
