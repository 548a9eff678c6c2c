/** Licence facts as stored on a therapist's profile. */
export interface Licence {
  readonly type: string | null;
  readonly number: string | null;
  readonly jurisdiction: string | null;
  /** YYYY-MM-DD; the licence is valid through the end of that day (UTC). */
  readonly expiresOn: string | null;
  readonly verifiedAt: Date | null;
  readonly verifiedBy: string | null;
  readonly verificationMethod: string | null;
}

export type LicenceState = 'missing' | 'unverified' | 'verified' | 'expiring' | 'expired';

export interface LicenceStatus {
  readonly state: LicenceState;
  /** Whole days until expiry (negative once expired); null without a date. */
  readonly daysLeft: number | null;
  /**
   * When the licence was verified, while verified and in date (pages show a badge, worded in the
   * reader's language: `directory:licence.badge`); otherwise null (no badge).
   */
  readonly verifiedOn: Date | null;
}

/** How long before expiry the therapist and the admins are warned. */
export const EXPIRY_WARNING_DAYS = 30;
const DAY = 86_400_000;

export function endOfDay(date: string): number {
  return Date.parse(`${date}T23:59:59.999Z`);
}

export function formatDay(at: Date): string {
  return at.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
}

export function licenceStatus(licence: Licence, now: Date): LicenceStatus {
  if (!licence.type || !licence.number || !licence.jurisdiction || !licence.expiresOn) {
    return { state: 'missing', daysLeft: null, verifiedOn: null };
  }
  const left = endOfDay(licence.expiresOn) - now.getTime();
  const daysLeft = Math.floor(left / DAY);
  if (left < 0) return { state: 'expired', daysLeft, verifiedOn: null };
  if (!licence.verifiedAt) return { state: 'unverified', daysLeft, verifiedOn: null };
  return {
    state: daysLeft < EXPIRY_WARNING_DAYS ? 'expiring' : 'verified',
    daysLeft,
    verifiedOn: licence.verifiedAt,
  };
}

/** Bookings by new clients stop once a licence is unverified or out of date (until re-verified). */
export function licenceAllowsNewBookings(status: LicenceStatus): boolean {
  return status.state === 'verified' || status.state === 'expiring';
}
