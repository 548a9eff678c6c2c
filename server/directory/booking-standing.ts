import type { StoredProfile } from './directory.repository';
import { licenceAllowsNewBookings, licenceStatus } from './licence';

/** Who is asking to book: someone the therapist already treats, or someone new to them. */
export type Booker = 'new_client' | 'existing_client';

/**
 * May this therapist be booked now? The one rule behind the directory's "Accepting new clients" /
 * "Not taking new clients", the therapists the booking page offers, and the booking itself.
 *
 * - A **new client** may book a therapist whose practice profile says they accept new clients and
 *   whose licence an admin has verified and is in date (an admin can verify it with the invitation,
 *   so a new therapist is bookable as soon as their profile and hours are ready).
 * - An **existing client** (in care with the therapist), or the therapist booking for them, may
 *   book unless the licence on the profile has expired; a therapist without a profile yet is not
 *   blocked for the clients they already have.
 * - Peer supporters are not booked through scheduling; their profiles accept new people as they say.
 */
export function takesBookings(profile: StoredProfile | null, from: Booker, now: Date): boolean {
  if (profile?.kind === 'peer_supporter') return profile.acceptingNewClients;
  const state = profile ? licenceStatus(profile.licence, now) : null;
  if (from === 'existing_client') return state?.state !== 'expired';
  return Boolean(profile?.acceptingNewClients && state && licenceAllowsNewBookings(state));
}
