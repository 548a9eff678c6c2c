import { AppError, phrase } from '../shared/errors';
import type { LiveSessionService } from './live-session.service';
import { sessionEncrypted } from './rooms.policy';
import type { RoomsRepository } from './rooms.repository';
import type { Actor, AppointmentForRoom, AppointmentLookup, E2eeMode } from './rooms.types';

/** What an appointment's page says about its session's media (null: nothing to say). */
export type SessionEncryption = 'encrypted' | 'plain';

/**
 * The therapist's per-session choice of end-to-end encrypted media (issue 23, item 3) as far as
 * rooms are concerned: whether the clinic offers it (ROOM_E2EE=per-session), what an appointment's
 * page tells its people, and the one rule scheduling cannot know: a room decides whether it is
 * encrypted as it comes alive (every page in it keys for that answer), so the choice cannot change
 * while anyone is in the session's room. Scheduling owns the stored choice and who may make it.
 */
export class E2eeChoiceService {
  readonly #mode: E2eeMode;
  readonly #appointments: AppointmentLookup | null;
  readonly #repo: RoomsRepository;
  readonly #live: LiveSessionService;
  /** Several nodes: a room may be live on another node, which the open attendance rows show. */
  readonly #clustered: boolean;

  constructor(deps: {
    mode: E2eeMode;
    appointments: AppointmentLookup | null;
    repo: RoomsRepository;
    live: LiveSessionService;
    clustered: boolean;
  }) {
    this.#mode = deps.mode;
    this.#appointments = deps.appointments;
    this.#repo = deps.repo;
    this.#live = deps.live;
    this.#clustered = deps.clustered;
  }

  /** The clinic lets each appointment's therapist choose (ROOM_E2EE=per-session). */
  get offered(): boolean {
    return this.#mode === 'per-session';
  }

  /**
   * Whether an appointment's session will be end-to-end encrypted, as its page says it; null where
   * the clinic never encrypts (as before there was a choice) or the session sends no media.
   */
  forAppointment(a: { readonly format: string; readonly e2eeChosen: boolean }): SessionEncryption | null {
    if (this.#mode === 'off' || (a.format !== 'video' && a.format !== 'audio')) return null;
    return sessionEncrypted(this.#mode, { kind: 'appointment', e2eeChosen: a.e2eeChosen })
      ? 'encrypted'
      : 'plain';
  }

  /**
   * The therapist turns end-to-end encryption on or off for an appointment (`input`: `encrypted`
   * on/off, `scope` one/rest). Scheduling refuses anyone but its therapist first (404 to whoever
   * cannot see the appointment); then this refuses a clinic that does not offer the choice and a
   * session whose room someone is in. Returns the appointments changed.
   */
  async choose(actor: Actor, appointmentId: string, input: unknown, ip: string | null) {
    if (!this.#appointments) throw new AppError('appointment.not_found', 'not_found');
    return this.#appointments.chooseE2ee({ ...actor, ip }, appointmentId, input, async (targets) => {
      if (!this.offered) {
        throw new AppError('room.e2ee_choice_closed', 'conflict', phrase('e2ee:choice.notOffered'));
      }
      for (const t of targets) await this.#assertNotInUse(t);
    });
  }

  async #assertNotInUse(a: AppointmentForRoom): Promise<void> {
    const room = await this.#repo.byAppointment(a.id);
    if (!room) return;
    const here = this.#live.liveRoom(room.id);
    const inUse = (here && !here.empty) || (this.#clustered && (await this.#repo.hasOpenAttendance(room.id)));
    if (inUse) throw new AppError('room.e2ee_in_use', 'conflict', phrase('e2ee:choice.inUse'));
  }
}
