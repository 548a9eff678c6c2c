import { AppError, phrase } from '../shared/errors';
import type { LiveRoom } from './live-room';
import type { LiveSessionService } from './live-session.service';
import type { Actor } from './rooms.types';

/**
 * The server's whole part in end-to-end encrypted sessions: it passes the browsers' public keys and
 * sealed sender keys between the admitted people of one room, as opaque bytes. It never holds a
 * key that opens a frame: a public key is public, and a sender key arrives sealed under a key that
 * only the two browsers can derive (ECDH). What it does decide is who gets what: keys go to the
 * admitted and connected people of that room only, never to anyone waiting.
 */
export class E2eeRelay {
  readonly #live: LiveSessionService;

  constructor(live: LiveSessionService) {
    this.#live = live;
  }

  /**
   * A page's public key. A waiting page may say it early (it is passed on only once they are
   * admitted, with the others' keys, so admission does not wait for a round trip).
   */
  async announce(actor: Actor, roomId: string, publicKey: string): Promise<void> {
    const { live, seat } = await this.#live.preparingFor(actor, roomId);
    assertEncrypted(live);
    if (seat.e2eeKey === publicKey) return;
    seat.e2eeKey = publicKey;
    if (seat.state === 'admitted') this.#live.notifyE2eeKeys(live);
  }

  /** A sender key sealed for one other admitted person, passed on to them alone. */
  senderKey(actor: Actor, roomId: string, input: { toId: string; epoch: number; sealed: string }): void {
    const { live, seat } = this.#live.admitted(actor, roomId);
    assertEncrypted(live);
    const to = live.seats.get(live.userIdOf(input.toId));
    if (!to || to.userId === seat.userId || to.state !== 'admitted' || !to.connected || !seat.e2eeKey) {
      throw new AppError('room.not_admitted_peer', 'not_found', phrase('errors:room.notInSession'));
    }
    this.#live.notify(live, [to.userId], 'e2ee:sender-key', {
      fromId: seat.userId,
      epoch: input.epoch,
      sealed: input.sealed,
    });
  }
}

function assertEncrypted(live: LiveRoom): void {
  if (!live.e2ee) {
    throw new AppError('room.e2ee_off', 'conflict', phrase('errors:room.e2eeOff'));
  }
}
