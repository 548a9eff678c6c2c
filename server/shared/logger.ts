import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * Paths pino blanks out wherever they appear. Logs are for operators: no cookies, credentials,
 * tokens, or health information (notes, messages, chat, answers) ever reach them.
 */
export const REDACT_PATHS: readonly string[] = [
  'req.headers.cookie',
  'req.headers.authorization',
  'res.headers["set-cookie"]',
  '*.password',
  '*.newPassword',
  '*.currentPassword',
  '*.token',
  '*.secret',
  '*.totp',
  '*.totpCode',
  '*.recoveryCode',
  '*.body',
  '*.text',
  '*.html',
  '*.note',
  '*.notes',
  '*.messageBody',
  '*.chat',
  '*.answers',
  '*.content',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'haven' },
      redact: { paths: [...REDACT_PATHS], censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}
