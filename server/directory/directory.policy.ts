import type { Role } from '../accounts';

interface Actor {
  readonly id: string;
  readonly roles: readonly Role[];
}

/** Therapists and peer supporters keep their own profile. */
export function canEditOwnProfile(actor: Actor): boolean {
  return actor.roles.includes('therapist') || actor.roles.includes('peer_supporter');
}

/** Only an admin vouches for a licence, and never for their own. */
export function canVerifyLicence(actor: Actor, therapistId: string): boolean {
  return actor.roles.includes('admin') && actor.id !== therapistId;
}

/** The directory is public or for signed-in people, as the clinic chose. */
export function canBrowseDirectory(actor: Actor | null, visibility: 'public' | 'signed_in'): boolean {
  return visibility === 'public' || actor !== null;
}
