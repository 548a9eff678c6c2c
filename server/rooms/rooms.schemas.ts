import { z } from 'zod';
import { idSchema } from '../shared/ids';
import { dtlsParameters, rtpCapabilities, rtpParameters } from '../shared/webrtc-schemas';

/**
 * Input schemas for the live session (used by the realtime handlers before anything is called).
 * Ids are UUIDs (rooms, users) or mediasoup's UUIDs (transports, producers, consumers); the WebRTC
 * negotiation objects are the shared ones (`shared/webrtc-schemas.ts`).
 */
const uuid = idSchema;

export const roomRef = z.object({ roomId: uuid }).strict();
export const personRef = z.object({ roomId: uuid, userId: uuid }).strict();
export const leaveInput = roomRef;

export const createTransportInput = z.object({ roomId: uuid, direction: z.enum(['send', 'recv']) }).strict();
export const connectTransportInput = z.object({ roomId: uuid, transportId: uuid, dtlsParameters }).strict();
export const produceInput = z
  .object({
    roomId: uuid,
    transportId: uuid,
    kind: z.enum(['audio', 'video']),
    source: z.enum(['mic', 'camera', 'screen']),
    rtpParameters,
  })
  .strict();
export const consumeInput = z.object({ roomId: uuid, producerId: uuid, rtpCapabilities }).strict();
export const warmUpInput = z.object({ roomId: uuid, rtpCapabilities: rtpCapabilities.optional() }).strict();
export const consumerRef = z.object({ roomId: uuid, consumerId: uuid }).strict();
export const consumerLayerInput = z
  .object({ roomId: uuid, consumerId: uuid, spatialLayer: z.number().int().min(0).max(2) })
  .strict();
export const transportRef = z.object({ roomId: uuid, transportId: uuid }).strict();
export const producerRef = z.object({ roomId: uuid, producerId: uuid }).strict();
export const producerPauseInput = z.object({ roomId: uuid, producerId: uuid, paused: z.boolean() }).strict();
export const audioOnlyInput = z.object({ roomId: uuid, on: z.boolean() }).strict();
export const chatInput = z
  .object({
    roomId: uuid,
    text: z.string().trim().min(1, 'errors:room.writeFirst').max(2000, 'errors:field.atMost'),
  })
  .strict();

/** One client ("Start a session with …") or several (a couple, a family) the therapist treats. */
export const openAdhocInput = z.object({ clientIds: z.array(uuid).min(1).max(15) }).strict();

/** Standard base64 of exactly `bytes` bytes (what the E2EE relay passes on, and nothing larger). */
const base64Of = (bytes: number) =>
  z
    .string()
    .length(4 * Math.ceil(bytes / 3), `must be ${bytes} bytes in base64`)
    .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'must be base64')
    .refine((s) => Buffer.from(s, 'base64').length === bytes, `must be ${bytes} bytes in base64`);

/** A raw uncompressed P-256 point: 0x04, then x and y (65 bytes). */
export const e2eeAnnounceInput = z
  .object({
    roomId: uuid,
    publicKey: base64Of(65).refine(
      (s) => Buffer.from(s, 'base64')[0] === 0x04,
      'must be an uncompressed point',
    ),
  })
  .strict();
/** Nonce (12) + sealed 32-byte sender key (32) + tag (16). */
export const e2eeSenderKeyInput = z
  .object({ roomId: uuid, toId: uuid, epoch: z.number().int().min(0).max(255), sealed: base64Of(60) })
  .strict();
