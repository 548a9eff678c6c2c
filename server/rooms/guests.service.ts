import type { Sequelize } from 'sequelize';
import type { AuditTrail } from '../audit';
import type { Outbox } from '../mail';
import type { Clock } from '../shared/clock';
import { AppError, issueProblems, phrase } from '../shared/errors';
import { fieldRefusal } from '../shared/form-refusal';
import { hashToken, newId, newToken } from '../shared/ids';
import { guestInvitationEmail, type GuestMailSettings } from './guest-mail';
import type { Guest, GuestsRepository } from './guests.repository';
import { guestInput, type GuestInput } from './guests.schemas';
import { appointmentWindow, windowVerdict, type EntryWindow } from './rooms.policy';
import type { RoomTimes } from './room-access.service';
import type { Actor, AppointmentForRoom, AppointmentLookup, GuestBadge } from './rooms.types';

/** A guest as the appointment's people see them (the therapist also sees the email and the link's state). */
export interface GuestView {
  readonly id: string;
  readonly role: Guest['role'];
  readonly displayName: string;
  readonly language: string | null;
  /** `invited` (link not used yet), `joined` (the link was used), `removed`. */
  readonly state: 'invited' | 'joined' | 'removed';
  readonly removalAsked: boolean;
  /** Only for the therapist. */
  readonly email: string | null;
}

/** An appointment's guests for one of its people; the therapist also learns how many later sessions its series has. */
export interface GuestList {
  readonly guests: GuestView[];
  readonly host: boolean;
  readonly laterInSeries: number;
  /** The languages a guest may read (the clinic's) and the one the form proposes (its default). */
  readonly readingLanguages: { readonly offered: readonly string[]; readonly proposed: string };
}

/** What a used link leaves in the guest's web session: enough to knock at one appointment's room. */
export interface GuestSessionPass {
  readonly guestId: string;
  readonly appointmentId: string;
  readonly displayName: string;
  /** The language the guest reads: their pages open in it (null: invited before it was asked). */
  readonly language: string | null;
}

/** The state of a link before it is used, for the page that asks "join now?". */
export type LinkState = LinkOpen | { readonly state: 'used' | 'expired' | 'removed' | 'invalid' };

/** A link that can be used now (`ready`) or later (`not_yet`); times read in `zone`, the inviter's (as in the email). */
interface LinkOpen {
  readonly state: 'ready' | 'not_yet';
  readonly guest: Guest;
  readonly window: EntryWindow;
  readonly zone: string;
}

export interface GuestsDeps {
  readonly sequelize: Sequelize;
  readonly repo: GuestsRepository;
  readonly audit: AuditTrail;
  readonly clock: Clock;
  readonly times: RoomTimes;
  readonly appointments: AppointmentLookup | null;
  readonly outbox: Outbox | null;
  readonly mail: GuestMailSettings;
}

// Refusals name `guests:problem.*` keys; the page or the socket writes them in the reader's language.
const noSuchAppointment = (): AppError =>
  new AppError('guest.not_found', 'not_found', phrase('guests:problem.noSuchAppointment'));
const noSuchGuest = (): AppError =>
  new AppError('guest.not_found', 'not_found', phrase('guests:problem.noSuchGuest'));
const linkUsed = (): AppError =>
  new AppError('guest.link_used', 'conflict', phrase('guests:problem.linkUsed'));

/**
 * Invited guests of a session (issue 23): an interpreter, a family member, a support person or a
 * clinical supervisor. Only the appointment's treating therapist invites or removes; its clients see
 * who is invited and may ask for a guest's removal. The guest gets a single-use link by email, valid
 * from the room's opening to its grace end; only its hash is stored. Everything is audited with the
 * appointment's client as the subject.
 */
export class RoomGuestsService {
  readonly #d: GuestsDeps;

  constructor(deps: GuestsDeps) {
    this.#d = deps;
  }

  async #appointment(appointmentId: string): Promise<AppointmentForRoom> {
    const a = this.#d.appointments ? await this.#d.appointments.getAppointmentForRoom(appointmentId) : null;
    if (!a) throw noSuchAppointment();
    return a;
  }

  /** The appointment, if `actor` is its therapist or one of its clients (others: not found, as scheduling does). */
  async #asParticipant(
    actor: Actor,
    appointmentId: string,
  ): Promise<{ a: AppointmentForRoom; host: boolean }> {
    const a = await this.#appointment(appointmentId);
    const host = a.therapistId === actor.id && actor.roles.includes('therapist');
    if (!host && !a.clientIds.includes(actor.id)) {
      throw noSuchAppointment();
    }
    return { a, host };
  }

  async #asHost(actor: Actor, appointmentId: string): Promise<AppointmentForRoom> {
    const { a, host } = await this.#asParticipant(actor, appointmentId);
    if (!host) throw new AppError('room.host_only', 'forbidden', phrase('errors:room.therapistOnly'));
    return a;
  }

  /** The guest's language: one the clinic offers, its default when the form names none. */
  #readingLanguage(chosen: string): string {
    const { languages } = this.#d.mail;
    const language = chosen || languages.clinicDefault();
    if (!languages.offered().includes(language)) {
      throw new AppError('guest.form_invalid', 'bad_request', phrase('guests:problem.checkDetails'), {
        readingLanguage: phrase('errors:field.languageOffered'),
      });
    }
    return language;
  }

  #window(a: Pick<AppointmentForRoom, 'startsAt' | 'endsAt'>): EntryWindow {
    return appointmentWindow(a, this.#d.times.openBeforeMs, this.#d.times.graceMs);
  }

  /** Who is invited to an appointment's session, for its therapist and its clients. */
  async list(actor: Actor, appointmentId: string): Promise<GuestList> {
    const { host } = await this.#asParticipant(actor, appointmentId);
    const guests = await this.#d.repo.forAppointment(appointmentId);
    const later = host && this.#d.appointments ? await this.#d.appointments.laterInSeries(appointmentId) : [];
    const { languages } = this.#d.mail;
    return {
      guests: guests.map((g) => view(g, host)),
      host,
      laterInSeries: later.length,
      readingLanguages: { offered: languages.offered(), proposed: languages.clinicDefault() },
    };
  }

  /**
   * The therapist invites a guest to this appointment (and, with `scope: series`, to every later
   * one of its series): one link per session, one email listing them. Returns the links for the
   * caller's own use (tests); they are never shown on a page.
   */
  async invite(
    therapist: Actor,
    appointmentId: string,
    raw: unknown,
    ip: string | null,
  ): Promise<Array<{ guestId: string; appointmentId: string; token: string }>> {
    const first = await this.#asHost(therapist, appointmentId);
    const parsed = guestInput.safeParse(raw);
    if (!parsed.success) {
      const details = issueProblems(parsed.error.issues);
      throw new AppError('guest.form_invalid', 'bad_request', phrase('guests:problem.checkDetails'), details);
    }
    const input: GuestInput = parsed.data;
    const readingLanguage = this.#readingLanguage(input.readingLanguage);
    const now = this.#d.clock.now();
    if (first.cancelled || first.completed || first.format === 'in_person') {
      throw fieldRefusal('guest.form_invalid', 'form', phrase('guests:problem.noOnlineSession'));
    }
    if (windowVerdict(this.#window(first), now, { endedAt: null }) === 'closed') {
      throw fieldRefusal('guest.form_invalid', 'form', phrase('guests:problem.sessionOver'));
    }
    const later =
      input.scope === 'series' && this.#d.appointments
        ? (await this.#d.appointments.laterInSeries(appointmentId)).filter((a) => a.format !== 'in_person')
        : [];
    const sessions = [first, ...later];
    const links = sessions.map((a) => ({ guestId: newId(), appointmentId: a.id, token: newToken(), a }));
    const email = await guestInvitationEmail(this.#d.mail, {
      to: input.email,
      language: readingLanguage,
      role: input.role,
      inviterId: therapist.id,
      inviterName: therapist.displayName,
      idempotencyKey: `guest:${links[0]!.guestId}`,
      sessions: links.map((l) => ({ window: this.#window(l.a), startsAt: l.a.startsAt, token: l.token })),
    });
    await this.#d.sequelize.transaction(async (transaction) => {
      for (const link of links) {
        await this.#d.repo.insert(
          {
            id: link.guestId,
            appointmentId: link.appointmentId,
            invitedBy: therapist.id,
            role: input.role,
            displayName: input.displayName,
            email: input.email,
            language: input.role === 'interpreter' ? input.language : null,
            readingLanguage,
            createdAt: now,
          },
          hashToken(link.token),
          transaction,
        );
        await this.#d.audit.record(
          {
            actorId: therapist.id,
            action: 'room.guest.invited',
            targetType: 'room_guest',
            targetId: link.guestId,
            subjectId: link.a.clientIds[0] ?? null,
            ip,
            details: { appointmentId: link.appointmentId, role: input.role },
          },
          transaction,
        );
      }
      await this.#d.outbox?.enqueue(email, transaction);
    });
    return links.map(({ guestId, appointmentId: id, token }) => ({ guestId, appointmentId: id, token }));
  }

  /** The therapist removes a guest: the link stops working, and so does the browser that used it. */
  async remove(therapist: Actor, guestId: string, ip: string | null): Promise<Guest> {
    const guest = await this.#d.repo.byId(guestId);
    if (!guest) throw noSuchGuest();
    const a = await this.#asHost(therapist, guest.appointmentId);
    await this.#d.sequelize.transaction(async (transaction) => {
      await this.#d.repo.revoke(guestId, this.#d.clock.now(), transaction);
      await this.#d.audit.record(
        {
          actorId: therapist.id,
          action: 'room.guest.removed',
          targetType: 'room_guest',
          targetId: guestId,
          subjectId: a.clientIds[0] ?? null,
          ip,
          details: { appointmentId: a.id },
        },
        transaction,
      );
    });
    return guest;
  }

  /** A client of the appointment asks the therapist to remove a guest (the therapist decides). */
  async askRemoval(client: Actor, guestId: string, ip: string | null): Promise<Guest> {
    const guest = await this.#d.repo.byId(guestId);
    if (!guest) throw noSuchGuest();
    const { a, host } = await this.#asParticipant(client, guest.appointmentId);
    if (host) throw new AppError('room.forbidden', 'forbidden', phrase('guests:problem.therapistRemoves'));
    await this.#d.sequelize.transaction(async (transaction) => {
      await this.#d.repo.markRemovalRequested(guestId, this.#d.clock.now(), transaction);
      await this.#d.audit.record(
        {
          actorId: client.id,
          action: 'room.guest.removal_asked',
          targetType: 'room_guest',
          targetId: guestId,
          subjectId: client.id,
          ip,
          details: { appointmentId: a.id },
        },
        transaction,
      );
    });
    return guest;
  }

  /** What a link is now, without using it (the page shows "join" or says why not). */
  async linkState(token: string): Promise<LinkState> {
    const guest = await this.#d.repo.byTokenHash(hashToken(token));
    if (!guest) return { state: 'invalid' };
    if (guest.revokedAt) return { state: 'removed' };
    if (guest.redeemedAt) return { state: 'used' };
    const a = await this.#d.appointments?.getAppointmentForRoom(guest.appointmentId);
    if (!a || a.cancelled || a.completed) return { state: 'expired' };
    const window = this.#window(a);
    const verdict = windowVerdict(window, this.#d.clock.now(), { endedAt: null });
    if (verdict === 'closed') return { state: 'expired' };
    const zone = await this.#d.mail.timeZoneOf(guest.invitedBy);
    return { state: verdict === 'open' ? 'ready' : 'not_yet', guest, window, zone };
  }

  /**
   * Uses a link: once, inside the room's window. The pass goes into the guest's web session; the
   * room then treats them as that appointment's guest and nothing else. Refusals: `guest.link_invalid`
   * (unknown, removed, outside the window) or `guest.link_used`.
   */
  async redeem(token: string, ip: string | null): Promise<GuestSessionPass> {
    const link = await this.linkState(token);
    if (link.state === 'used') throw linkUsed();
    if (link.state !== 'ready') {
      // `reason` is the link's state (a code the page turns into its own heading), not words.
      throw new AppError('guest.link_invalid', 'not_found', phrase('guests:problem.linkNotNow'), {
        reason: link.state,
      });
    }
    const { guest } = link;
    if (!(await this.#d.repo.redeem(guest.id, this.#d.clock.now()))) {
      throw linkUsed();
    }
    const a = await this.#appointment(guest.appointmentId);
    await this.#d.audit.record({
      actorId: null,
      action: 'room.guest.link_used',
      targetType: 'room_guest',
      targetId: guest.id,
      subjectId: a.clientIds[0] ?? null,
      ip,
      details: { appointmentId: a.id },
    });
    return {
      guestId: guest.id,
      appointmentId: guest.appointmentId,
      displayName: guest.displayName,
      language: guest.readingLanguage,
    };
  }

  /**
   * The language a link's guest reads, whatever the link's state (its refusal page is in it too);
   * null for an unknown link or a guest invited before the language was asked.
   */
  async readingLanguageOf(token: string): Promise<string | null> {
    return (await this.#d.repo.byTokenHash(hashToken(token)))?.readingLanguage ?? null;
  }

  /** The guest behind a pass, while the therapist has not removed them (else null). */
  async current(guestId: string): Promise<Guest | null> {
    const guest = await this.#d.repo.byId(guestId);
    return guest && !guest.revokedAt ? guest : null;
  }

  /** A guest's badge as the room shows it. */
  static badge(guest: Guest): GuestBadge {
    return { role: guest.role, language: guest.language, removalAsked: guest.removalRequestedAt !== null };
  }
}

function view(g: Guest, host: boolean): GuestView {
  return {
    id: g.id,
    role: g.role,
    displayName: g.displayName,
    language: g.language,
    state: g.revokedAt ? 'removed' : g.redeemedAt ? 'joined' : 'invited',
    removalAsked: g.removalRequestedAt !== null,
    email: host ? g.email : null,
  };
}
