import type { TFunction } from '../i18n';

/**
 * Who reads a socket's answers: the person's `t` (their profile's language, else the browser's, as
 * for a page) and whether that is English, the only reader an old English refusal is shown to.
 * Worked out once at the handshake, like the actor.
 */
export interface SocketReader {
  readonly t: TFunction;
  readonly english: boolean;
}
