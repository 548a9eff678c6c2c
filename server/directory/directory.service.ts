import type { AuditTrail } from '../audit';
import type { Role, User } from '../accounts';
import type { OutgoingEmail } from '../mail';
import type { Clock } from '../shared/clock';
import { AppError, phrase, type ErrorCode, type IssueLike } from '../shared/errors';
import { formRefusal } from '../shared/form-refusal';
import type { PractitionerProfile, StoredProfile, DirectoryRepository } from './directory.repository';
import { canEditOwnProfile, canVerifyLicence } from './directory.policy';
import {
  invitedLicenceSchema,
  profileFormSchema,
  verifyLicenceSchema,
  type DirectoryFilter,
  type InvitedLicenceInput,
} from './directory.schemas';
import type { InvitedLicenceRepository } from './invited-licences';
import type { Licence } from './licence';
import { takesBookings, type Booker } from './booking-standing';
import { EXPIRY_WARNING_DAYS, formatDay, licenceStatus } from './licence';
import { jurisdictionFits, rankMatches, type Match, type MatchPreferences } from './matching';

export interface DirectoryActor {
  readonly id: string;
  readonly roles: readonly Role[];
  readonly ip?: string | null;
}

export interface DirectoryDeps {
  readonly repo: DirectoryRepository;
  readonly invited: InvitedLicenceRepository;
  readonly audit: AuditTrail;
  readonly people: { byId(id: string): Promise<User | null>; list(): Promise<User[]> };
  readonly outbox: { enqueue(email: OutgoingEmail): Promise<boolean> };
  readonly clock: Clock;
  readonly publicUrl: string;
  readonly clinicName: string;
  /** Optional: a therapist's next bookable time (scheduling provides it). */
  readonly slots?: NextSlotLookup;
}

/** The port scheduling fills: the first open slot of a therapist, or null when there is none. */
export interface NextSlotLookup {
  nextOpenSlot(therapistId: string): Promise<Date | null>;
}

const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

function parse<T>(
  result: { success: true; data: T } | { success: false; error: { issues: readonly IssueLike[] } },
  code: ErrorCode,
): T {
  if (result.success) return result.data;
  throw formRefusal(code, result.error.issues);
}

/** Therapist and peer-supporter profiles, licence verification and expiry, search and matching. */
export class DirectoryService {
  readonly #d: DirectoryDeps;

  constructor(deps: DirectoryDeps) {
    this.#d = deps;
  }

  #view(stored: StoredProfile, person: User): PractitionerProfile {
    const now = this.#d.clock.now();
    const status = licenceStatus(stored.licence, now);
    const acceptsNewBookings = takesBookings(stored, 'new_client', now);
    return { ...stored, displayName: person.displayName, licenceStatus: status, acceptsNewBookings };
  }

  /** A profile to show, or null when there is none or its owner can no longer practise here. */
  async profile(userId: string): Promise<PractitionerProfile | null> {
    const [stored, person] = await Promise.all([this.#d.repo.byUserId(userId), this.#d.people.byId(userId)]);
    if (!stored || !person || person.status !== 'active') return null;
    if (!person.roles.includes(stored.kind)) return null;
    return this.#view(stored, person);
  }

  async all(): Promise<PractitionerProfile[]> {
    const stored = await this.#d.repo.all();
    // All at once, so the accounts' batch loader reads every practitioner in one statement.
    const people = await Promise.all(stored.map((s) => this.#d.people.byId(s.userId)));
    const out: PractitionerProfile[] = [];
    stored.forEach((s, i) => {
      const person = people[i];
      if (person && person.status === 'active' && person.roles.includes(s.kind))
        out.push(this.#view(s, person));
    });
    return out.sort((a, b) => a.displayName.localeCompare(b.displayName));
  }

  /**
   * Saves the actor's own profile. Changing any licence detail clears its verification: the badge
   * names what an admin checked, so a new number or date must be checked again.
   */
  async saveOwnProfile(actor: DirectoryActor, input: unknown): Promise<PractitionerProfile> {
    if (!canEditOwnProfile(actor))
      throw new AppError('directory.forbidden', 'forbidden', phrase('directory:problem.practitionersOnly'));
    const form = parse(profileFormSchema.safeParse(input), 'directory.profile_invalid');
    const kind = actor.roles.includes('therapist') ? 'therapist' : 'peer_supporter';
    const before = await this.#d.repo.byUserId(actor.id);
    const licence =
      kind === 'therapist'
        ? {
            type: form.licenceType ?? null,
            number: form.licenceNumber ?? null,
            jurisdiction: form.licenceJurisdiction ?? null,
            expiresOn: form.licenceExpiresOn ?? null,
          }
        : { type: null, number: null, jurisdiction: null, expiresOn: null };
    const old = before?.licence;
    const unchanged = old !== undefined && sameLicence(old, licence);
    // The licence an admin checked with the invitation counts as verified if it is what was entered.
    const invited = !unchanged && kind === 'therapist' ? await this.#invitedLicenceOf(actor.id) : null;
    const fromInvitation = invited && sameLicence(invited.licence, licence) ? invited : null;
    const stored: StoredProfile = {
      userId: actor.id,
      kind,
      bio: form.bio,
      specialties: form.specialties,
      approaches: form.approaches,
      languages: form.languages,
      formats: form.formats,
      times: form.times,
      acceptingNewClients: form.acceptingNewClients,
      licence: fromInvitation
        ? { ...fromInvitation.licence }
        : {
            ...licence,
            verifiedAt: unchanged ? old.verifiedAt : null,
            verifiedBy: unchanged ? old.verifiedBy : null,
            verificationMethod: unchanged ? old.verificationMethod : null,
          },
      licenceWarningSentFor: unchanged ? (before?.licenceWarningSentFor ?? null) : null,
      updatedAt: this.#d.clock.now(),
    };
    await this.#d.repo.upsert(stored);
    if (fromInvitation) await this.#d.invited.remove(fromInvitation.invitationId);
    await this.#d.audit.record({
      actorId: actor.id,
      action: 'profile.updated',
      targetType: 'practitioner_profile',
      targetId: actor.id,
      ip: actor.ip ?? null,
      details: {
        licenceChanged: !unchanged && kind === 'therapist',
        verificationCleared: !unchanged && Boolean(old?.verifiedAt),
        verifiedAtInvitation: Boolean(fromInvitation),
      },
    });
    const profile = await this.profile(actor.id);
    if (!profile) throw new Error('profile vanished after saving');
    return profile;
  }

  /**
   * The licence part of an invitation form: null when left empty (the therapist enters their licence
   * and an admin verifies it later); otherwise every field, checked, or a form error.
   */
  parseInvitedLicence(input: Readonly<Record<string, unknown>>): InvitedLicenceInput | null {
    const keys = ['licenceType', 'licenceNumber', 'licenceJurisdiction', 'licenceExpiresOn', 'licenceMethod'];
    if (keys.every((k) => typeof input[k] !== 'string' || input[k].trim() === '')) return null;
    return parse(invitedLicenceSchema.safeParse(input), 'directory.invited_licence_invalid');
  }

  /**
   * An admin records the licence they checked before inviting a therapist. When the therapist saves
   * their profile with that licence, it is verified from the start (who checked, when and how).
   */
  async recordInvitedLicence(
    actor: DirectoryActor,
    invitation: { readonly id: string; readonly email: string },
    input: InvitedLicenceInput,
  ): Promise<void> {
    if (!canVerifyLicence(actor, '')) {
      throw new AppError('directory.forbidden', 'forbidden', phrase('directory:problem.adminVerifies'));
    }
    const now = this.#d.clock.now();
    const licence = {
      type: input.licenceType,
      number: input.licenceNumber,
      jurisdiction: input.licenceJurisdiction,
      expiresOn: input.licenceExpiresOn,
      verifiedAt: now,
      verifiedBy: actor.id,
      verificationMethod: input.licenceMethod,
    };
    if (licenceStatus(licence, now).state === 'expired') {
      const expired = phrase('directory:problem.licenceExpired');
      throw new AppError('directory.licence_expired', 'bad_request', expired, { licenceExpiresOn: expired });
    }
    await this.#d.invited.put({ invitationId: invitation.id, email: invitation.email, licence });
    await this.#d.audit.record({
      actorId: actor.id,
      action: 'licence.verified_at_invitation',
      targetType: 'invitation',
      targetId: invitation.id,
      ip: actor.ip ?? null,
      details: { method: input.licenceMethod, expiresOn: input.licenceExpiresOn },
    });
  }

  /** The licence an admin checked when inviting this person, to start their profile with. */
  async invitedLicenceFor(userId: string): Promise<Licence | null> {
    return (await this.#invitedLicenceOf(userId))?.licence ?? null;
  }

  async #invitedLicenceOf(userId: string) {
    const person = await this.#d.people.byId(userId);
    return person ? this.#d.invited.forEmail(person.email) : null;
  }

  /** Therapists whose licence details are complete and in date but not verified yet (admin overview). */
  async licencesToVerify(): Promise<PractitionerProfile[]> {
    return (await this.all()).filter((p) => p.kind === 'therapist' && p.licenceStatus.state === 'unverified');
  }

  /** An admin records that a licence was checked: who, when, how. */
  async verifyLicence(
    actor: DirectoryActor,
    therapistId: string,
    input: unknown,
  ): Promise<PractitionerProfile> {
    if (!canVerifyLicence(actor, therapistId)) {
      throw new AppError('directory.forbidden', 'forbidden', phrase('directory:problem.notOwnLicence'));
    }
    const { method } = parse(verifyLicenceSchema.safeParse(input), 'directory.verify_invalid');
    const stored = await this.#d.repo.byUserId(therapistId);
    if (!stored || stored.kind !== 'therapist')
      throw new AppError('directory.no_profile', 'not_found', phrase('directory:problem.noTherapistProfile'));
    const status = licenceStatus(stored.licence, this.#d.clock.now());
    if (status.state === 'missing')
      throw new AppError(
        'directory.licence_incomplete',
        'bad_request',
        phrase('directory:problem.licenceIncomplete'),
      );
    if (status.state === 'expired')
      throw new AppError('directory.licence_expired', 'conflict', phrase('directory:problem.askRenewed'));
    const now = this.#d.clock.now();
    await this.#d.repo.upsert({
      ...stored,
      licence: { ...stored.licence, verifiedAt: now, verifiedBy: actor.id, verificationMethod: method },
      updatedAt: now,
    });
    await this.#d.audit.record({
      actorId: actor.id,
      action: 'licence.verified',
      targetType: 'practitioner_profile',
      targetId: therapistId,
      ip: actor.ip ?? null,
      details: { method, expiresOn: stored.licence.expiresOn },
    });
    const profile = await this.profile(therapistId);
    if (!profile)
      throw new AppError('directory.no_profile', 'not_found', phrase('directory:problem.noTherapistProfile'));
    return profile;
  }

  /** The directory: filters are exact on the lists; location keeps therapists licensed there. */
  async search(filter: DirectoryFilter): Promise<PractitionerProfile[]> {
    return (await this.all()).filter(
      (p) =>
        (!filter.kind || p.kind === filter.kind) &&
        (!filter.specialty || p.specialties.some((s) => same(s, filter.specialty as string))) &&
        (!filter.approach || p.approaches.some((s) => same(s, filter.approach as string))) &&
        (!filter.language || p.languages.some((s) => same(s, filter.language as string))) &&
        (!filter.format || p.formats.some((s) => same(s, filter.format as string))) &&
        (!filter.location ||
          p.kind === 'peer_supporter' ||
          jurisdictionFits(p.licence.jurisdiction, filter.location)),
    );
  }

  /**
   * Next open slot per bookable therapist (empty without scheduling). Looked up on demand for the
   * profiles shown, not stored, so it is never stale.
   */
  async nextOpenSlots(profiles: readonly PractitionerProfile[]): Promise<Map<string, Date>> {
    const out = new Map<string, Date>();
    if (!this.#d.slots) return out;
    for (const p of profiles) {
      if (p.kind !== 'therapist' || !p.acceptsNewBookings) continue;
      const next = await this.#d.slots.nextOpenSlot(p.userId);
      if (next) out.set(p.userId, next);
    }
    return out;
  }

  async match(prefs: MatchPreferences, limit = 5): Promise<Match[]> {
    return rankMatches(await this.all(), prefs, limit);
  }

  /**
   * For scheduling: may this therapist be booked now, by a new client or one they already treat?
   * The same rule (booking-standing.ts) as the directory's "Accepting new clients".
   */
  async mayBeBooked(userId: string, from: Booker): Promise<boolean> {
    if (from === 'new_client') return (await this.profile(userId))?.acceptsNewBookings ?? false;
    return takesBookings(await this.#d.repo.byUserId(userId), from, this.#d.clock.now());
  }

  /** May a new client book this practitioner now? */
  async acceptsNewBookings(userId: string): Promise<boolean> {
    return this.mayBeBooked(userId, 'new_client');
  }

  /**
   * The daily licence check: 30 days before expiry the therapist and the admins are told, once per
   * licence period. (After expiry nothing needs doing here: the badge and new bookings follow the
   * date by themselves.) Returns how many licences were warned about.
   */
  async warnExpiringLicences(): Promise<number> {
    const admins = (await this.#d.people.list()).filter(
      (u) => u.roles.includes('admin') && u.status === 'active',
    );
    let warned = 0;
    for (const profile of await this.all()) {
      const { licence } = profile;
      const status = profile.licenceStatus;
      if (profile.kind !== 'therapist' || !licence.expiresOn || status.daysLeft === null) continue;
      if (status.daysLeft < 0 || status.daysLeft >= EXPIRY_WARNING_DAYS) continue;
      if (profile.licenceWarningSentFor === licence.expiresOn) continue;
      const therapist = await this.#d.people.byId(profile.userId);
      const day = formatDay(new Date(`${licence.expiresOn}T00:00:00Z`));
      for (const to of [therapist, ...admins.filter((a) => a.id !== profile.userId)]) {
        if (!to) continue;
        await this.#d.outbox.enqueue({
          to: to.email,
          subject: `${this.#d.clinicName}: a licence expires on ${day}`,
          text: [
            `Hello ${to.displayName},`,
            '',
            to.id === profile.userId
              ? `Your licence on file expires on ${day}. After that date your profile loses its verified badge and new clients cannot book you until an admin verifies the renewed licence.`
              : `${profile.displayName}'s licence on file expires on ${day}. After that date new clients cannot book them until the renewed licence is verified.`,
            '',
            `${this.#d.publicUrl}/directory/${profile.userId}`,
          ].join('\n'),
          idempotencyKey: `licence-expiry:${profile.userId}:${licence.expiresOn}:${to.id}`,
        });
      }
      await this.#d.repo.upsert({ ...profile, licenceWarningSentFor: licence.expiresOn });
      await this.#d.audit.record({
        actorId: null,
        action: 'licence.expiry_warning_sent',
        targetType: 'practitioner_profile',
        targetId: profile.userId,
        details: { expiresOn: licence.expiresOn },
      });
      warned += 1;
    }
    return warned;
  }
}

function sameLicence(
  a: Pick<Licence, 'type' | 'number' | 'jurisdiction' | 'expiresOn'>,
  b: Pick<Licence, 'type' | 'number' | 'jurisdiction' | 'expiresOn'>,
): boolean {
  return (
    a.type === b.type &&
    a.number === b.number &&
    a.jurisdiction === b.jurisdiction &&
    a.expiresOn === b.expiresOn
  );
}
