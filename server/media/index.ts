export { MediaService } from './media.service';
export { MediaRoom, type MediaRoomEvents } from './media-room';
export { MediaWorkerPool, type MediaPoolStats, type MediaWorkerPoolEvents } from './media-worker-pool';
export type * from './media.types';
export { UNAVAILABLE_MEDIA } from './unavailable-media';
export { turnCredential, turnIceServers, type IceServer, type TurnCredential } from './turn-credentials';
export { ProbeTransports, type ProbeObservation, type ProbeOffer } from './probe-transports';
