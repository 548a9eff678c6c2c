import { z } from 'zod';
import { idSchema } from '../shared/ids';

/**
 * Inputs of the pre-call check endpoints. The WebRTC objects are checked for shape and size here
 * and in depth by mediasoup; nothing a caller sends names an address or a port.
 */
export const probeId = idSchema;

export const startInput = z.object({ mode: z.enum(['direct', 'relay']) }).strict();

export const connectInput = z
  .object({
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
    kind: z.literal('audio'),
    rtpParameters: z.record(z.string(), z.unknown()),
  })
  .strict();
