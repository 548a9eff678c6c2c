import type { Logger } from '../shared/logger';
import type { LiveSessionService } from './live-session.service';
import type { RoomsRepository } from './rooms.repository';
import type { SafetyCheckLookup } from './rooms.types';

/**
 * Keeps the therapist's safety-check panel current: when a client confirms where they are for an
 * appointment while its therapist is already in the room, the therapist gets the answer at once
 * (the page rendered before it was given). The answer is read as the therapist — the care rule
 * applies and the read is audited, as when the page renders it — and goes to the therapist only.
 */
export class SafetyCheckPush {
  readonly #live: LiveSessionService;
  readonly #repo: RoomsRepository;
  readonly #checks: SafetyCheckLookup;
  readonly #logger: Logger;

  constructor(deps: {
    live: LiveSessionService;
    repo: RoomsRepository;
    checks: SafetyCheckLookup;
    logger: Logger;
  }) {
    this.#live = deps.live;
    this.#repo = deps.repo;
    this.#checks = deps.checks;
    this.#logger = deps.logger;
  }

  async confirmed(clientId: string, appointmentId: string): Promise<void> {
    const room = await this.#repo.byAppointment(appointmentId);
    const live = room ? this.#live.liveRoom(room.id) : undefined;
    if (!live || !live.participants.clientIds.includes(clientId)) return;
    const host = live.seats.get(live.hostId);
    if (!host?.connected) return;
    // Only a therapist takes the host seat of an appointment room (rooms.policy seatRoleFor).
    const check = await this.#checks.latestSafetyCheck(
      { id: host.userId, roles: ['therapist'] },
      clientId,
      appointmentId,
    );
    if (!check) return;
    this.#live.notify(live, [host.userId], 'room:safety-check', {
      clientId,
      location: check.location,
      callbackNumber: check.callbackNumber,
    });
    this.#logger.debug({ roomId: live.roomId }, 'safety check pushed to the therapist');
  }
}
