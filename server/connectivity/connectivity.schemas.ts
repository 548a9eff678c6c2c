import { z } from 'zod';
import { idSchema } from '../shared/ids';
import type { ProbeConnectInput, ProbeProduceInput } from '../protocol';
import { dtlsParameters, rtpParameters } from '../shared/webrtc-schemas';

/**
 * Inputs of the pre-call check endpoints (`protocol/check.ts`). The WebRTC objects are the shared
 * ones (`shared/webrtc-schemas.ts`); nothing a caller sends names an address or a port.
 */
export const probeId = idSchema;

export const startInput = z.object({ mode: z.enum(['direct', 'relay']) }).strict();

export const connectInput = z.object({ dtlsParameters }).strict() satisfies z.ZodType<ProbeConnectInput>;

export const produceInput = z
  .object({ kind: z.literal('audio'), rtpParameters })
  .strict() satisfies z.ZodType<ProbeProduceInput>;
