import { z } from 'zod';
import { idSchema } from '../shared/ids';

/** Group-meeting socket inputs. People are named by their public id in the room (`peerId`). */
const uuid = idSchema;

export const peerFlagInput = z.object({ roomId: uuid, peerId: uuid, on: z.boolean() }).strict();
export const removeInput = z.object({ roomId: uuid, peerId: uuid, block: z.boolean() }).strict();
export const handInput = z.object({ roomId: uuid, raised: z.boolean() }).strict();
export const reportInput = z
  .object({
    roomId: uuid,
    peerId: uuid.optional(),
    messageId: uuid.optional(),
    reason: z.string().trim().min(3, 'rooms:problem.reportReason').max(1000, 'errors:field.atMost'),
  })
  .strict();
