import { Op, type Transaction } from 'sequelize';
import type { FieldCipher } from '../shared/field-encryption';
import type { RoomModels } from './rooms.model';
import type { StoredChatMessage } from './rooms.repository';

const CHAT_CONTEXT = 'room_chat_messages.body';

/**
 * The rooms feature's part of data rights (issue 9). A client's rooms are the ad-hoc rooms they
 * were invited to plus the rooms of their appointments (appointment rooms carry no participant
 * rows: scheduling says who belongs), so callers pass the client's appointment ids.
 *
 * On erasure the in-session chat of those rooms goes, as messages do (server/data-rights/README.md);
 * attendance (who was in which session, when) is part of the clinical record and stays until the
 * retention purge.
 */
export class RoomsSubjectRecords {
  readonly #m: RoomModels;
  readonly #cipher: FieldCipher;

  constructor(models: RoomModels, cipher: FieldCipher) {
    this.#m = models;
    this.#cipher = cipher;
  }

  async #roomIds(clientId: string, appointmentIds: readonly string[], tx?: Transaction): Promise<string[]> {
    const invited = await this.#m.participants.findAll({ where: { user_id: clientId }, transaction: tx });
    const booked =
      appointmentIds.length === 0
        ? []
        : await this.#m.rooms.findAll({
            where: { appointment_id: { [Op.in]: [...appointmentIds] } },
            attributes: ['id'],
            transaction: tx,
          });
    return [
      ...new Set([
        ...invited.map((r) => r.get({ plain: true }).room_id),
        ...booked.map((r) => r.get({ plain: true }).id),
      ]),
    ];
  }

  /** Every chat line of the client's rooms, oldest first, opened. */
  async chatOf(clientId: string, appointmentIds: readonly string[]): Promise<StoredChatMessage[]> {
    const rooms = await this.#roomIds(clientId, appointmentIds);
    const rows = await this.#m.chat.findAll({
      where: { [Op.or]: [{ room_id: { [Op.in]: rooms } }, { sender_id: clientId }] },
      order: [['created_at', 'ASC']],
    });
    return rows.map((r) => {
      const p = r.get({ plain: true });
      return {
        id: p.id,
        roomId: p.room_id,
        senderId: p.sender_id,
        body: this.#cipher.decrypt(p.body_enc, CHAT_CONTEXT),
        createdAt: new Date(p.created_at),
      };
    });
  }

  /** Deletes the chat of the client's rooms (both sides) and anything the client sent elsewhere. */
  async eraseChat(clientId: string, appointmentIds: readonly string[], tx: Transaction): Promise<number> {
    const rooms = await this.#roomIds(clientId, appointmentIds, tx);
    return this.#m.chat.destroy({
      where: { [Op.or]: [{ room_id: { [Op.in]: rooms } }, { sender_id: clientId }] },
      transaction: tx,
    });
  }

  /** At the end of retention: the client's attendance and invitations to rooms. */
  async purge(clientId: string, tx: Transaction): Promise<number> {
    const attendance = await this.#m.attendance.destroy({ where: { user_id: clientId }, transaction: tx });
    const invited = await this.#m.participants.destroy({ where: { user_id: clientId }, transaction: tx });
    return attendance + invited;
  }
}
