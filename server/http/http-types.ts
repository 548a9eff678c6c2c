import type { User as HavenUser } from '../accounts';
import type { LanguageCode } from '../i18n';

/**
 * Typing for what accounts puts on requests and sessions. `req.user` is the signed-in person
 * (passport sets it from the session on every request); it is undefined for visitors.
 */
declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface User extends HavenUser {}
    interface Request {
      /** This page's language (set by the language middleware: profile > cookie > invited guest's > Accept-Language > clinic default). */
      language?: LanguageCode;
      /** The Intl locale dates and numbers are written in: the language, in the browser's region when it names one. */
      locale?: string;
      /** On a guest's link page: the language the therapist chose for that guest (guest-language.ts). */
      invitedLanguage?: string | null;
    }
  }
}

declare module 'express-session' {
  interface SessionData {
    /** Milliseconds since the epoch when this session began (the absolute timeout counts from here). */
    startedAt: number;
    /** Set between a correct password and a correct second factor; nobody is signed in yet. */
    pending?: { userId: string; at: number; rememberIp: string | null };
    /** A TOTP secret being enrolled, sealed with the field cipher, until a code confirms it. */
    enrolSecret?: string;
    /** Recovery codes to show once, right after enrolment or regeneration. */
    freshRecoveryCodes?: string[];
    /** A one-time message for the next page ("Your password was changed."). */
    flash?: string;
    /** Where to go after sign-in. */
    returnTo?: string;
    passport?: { user?: string };
    /** An invited guest's pass (issue 23): set when their single-use link is used; no account. */
    guest?: {
      guestId: string;
      appointmentId: string;
      displayName: string;
      /** The language the guest reads (absent in a pass from before it was asked: read as null). */
      language: string | null;
    };
    /** Shown on the "active sessions" page. */
    meta?: { ip: string | null; userAgent: string | null };
    /**
     * When the store last wrote this session's row (ms since the epoch). Set by the store when it
     * reads the row and never saved with the data: it lets the idle timer skip writes (see
     * SequelizeSessionStore.touch).
     */
    storeWrittenAt?: number;
  }
}

export {};
