import { z } from 'zod';
import { idSchema } from '../shared/ids';

/**
 * Input schemas for the live session (used by the realtime handlers before anything is called).
 * Ids are UUIDs (rooms, users) or mediasoup's UUIDs (transports, producers, consumers). The WebRTC
 * negotiation objects are checked for shape and size here and in depth by mediasoup.
 */
const uuid = idSchema;
const negotiation = z.record(z.string(), z.unknown());

export const roomRef = z.object({ roomId: uuid }).strict();
export const personRef = z.object({ roomId: uuid, userId: uuid }).strict();
export const leaveInput = roomRef;

export const createTransportInput = z.object({ roomId: uuid, direction: z.enum(['send', 'recv']) }).strict();
export const connectTransportInput = z
  .object({
    roomId: uuid,
    transportId: uuid,
    dtlsParameters: z
      .object({
        role: z.enum(['auto', 'client', 'server']).optional(),
        fingerprints: z
          .array(z.object({ algorithm: z.string().max(20), value: z.string().max(200) }).strict())
          .min(1)
          .max(5),
      })
      .strict(),
  })
  .strict();
export const produceInput = z
  .object({
    roomId: uuid,
    transportId: uuid,
    kind: z.enum(['audio', 'video']),
    source: z.enum(['mic', 'camera', 'screen']),
    rtpParameters: negotiation,
  })
  .strict();
export const consumeInput = z
  .object({ roomId: uuid, producerId: uuid, rtpCapabilities: negotiation })
  .strict();
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
    text: z
      .string()
      .trim()
      .min(1, 'Write a message first.')
      .max(2000, 'Messages can be up to 2000 characters.'),
  })
  .strict();

/** One client ("Start a session with …") or several (a couple, a family) the therapist treats. */
export const openAdhocInput = z.object({ clientIds: z.array(uuid).min(1).max(15) }).strict();
