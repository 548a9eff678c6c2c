import { z } from 'zod';
import type { DtlsParameters, RtpCapabilities, RtpParameters } from '../protocol';

/**
 * The WebRTC negotiation objects a browser sends (live sessions and the pre-call check), checked
 * for shape here and in depth by mediasoup, which refuses a malformed one. The socket and the JSON
 * body parser cap their size. Nothing in them names an address or a port Haven would dial.
 */
const negotiation = <T>() =>
  z.custom<T>(
    (value) => typeof value === 'object' && value !== null && !Array.isArray(value),
    'Expected an object.',
  );

export const rtpParameters = negotiation<RtpParameters>();
export const rtpCapabilities = negotiation<RtpCapabilities>();

export const dtlsParameters: z.ZodType<DtlsParameters> = z
  .object({
    role: z.enum(['auto', 'client', 'server']).optional(),
    fingerprints: z
      .array(
        z
          .object({
            algorithm: z.enum(['sha-1', 'sha-224', 'sha-256', 'sha-384', 'sha-512']),
            value: z.string().max(200),
          })
          .strict(),
      )
      .min(1)
      .max(5),
  })
  .strict();
