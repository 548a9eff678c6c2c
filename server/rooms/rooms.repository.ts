import { Op, type Transaction } from 'sequelize';
import type { FieldCipher } from '../shared/field-encryption';
import type { AttendanceRow, ChatMessageRow, RoomModels, RoomRow } from './rooms.model';
import type { AttendanceRecord, Room } from './rooms.types';

const CHAT_CONTEXT = 'room_chat_messages.body';

function toRoom(row: RoomRow): Room {
  return {
    id: row.id,
    kind: row.kind,
    appointmentId: row.appointment_id,
    meetingId: row.meeting_id ?? null,
    hostId: row.host_id,
    createdAt: new Date(row.created_at),
    closesAt: row.closes_at ? new Date(row.closes_at) : null,
    endedAt: row.ended_at ? new Date(row.ended_at) : null,
  };
}

export interface StoredChatMessage {
  readonly id: string;
  readonly roomId: string;
  readonly senderId: string;
  readonly body: string;
  readonly createdAt: Date;
}

/** Rooms, their invited participants, chat (encrypted here, never above) and attendance. Plain objects out. */
export class RoomsRepository {
  readonly #m: RoomModels;
  readonly #cipher: FieldCipher;

  constructor(models: RoomModels, cipher: FieldCipher) {
    this.#m = models;
    this.#cipher = cipher;
  }

  async byId(id: string, transaction?: Transaction): Promise<Room | null> {
    const row = await this.#m.rooms.findByPk(id, { transaction });
    return row ? toRoom(row.get({ plain: true })) : null;
  }

  async byAppointment(appointmentId: string, transaction?: Transaction): Promise<Room | null> {
    const row = await this.#m.rooms.findOne({ where: { appointment_id: appointmentId }, transaction });
    return row ? toRoom(row.get({ plain: true })) : null;
  }

  async byMeeting(meetingId: string, transaction?: Transaction): Promise<Room | null> {
    const row = await this.#m.rooms.findOne({ where: { meeting_id: meetingId }, transaction });
    return row ? toRoom(row.get({ plain: true })) : null;
  }

  async insert(room: Room, participantIds: readonly string[], transaction: Transaction): Promise<void> {
    await this.#m.rooms.create(
      {
        id: room.id,
        kind: room.kind,
        appointment_id: room.appointmentId,
        meeting_id: room.meetingId ?? null,
        host_id: room.hostId,
        created_at: room.createdAt,
        closes_at: room.closesAt,
        ended_at: null,
      },
      { transaction },
    );
    for (const userId of participantIds) {
      await this.#m.participants.create({ room_id: room.id, user_id: userId }, { transaction });
    }
  }

  async participantIds(roomId: string, transaction?: Transaction): Promise<string[]> {
    const rows = await this.#m.participants.findAll({ where: { room_id: roomId }, transaction });
    return rows.map((r) => r.get({ plain: true }).user_id);
  }

  /** Open ad-hoc rooms this client was invited to, newest first. */
  async openAdhocWithClient(clientId: string, now: Date): Promise<Room[]> {
    const links = await this.#m.participants.findAll({ where: { user_id: clientId } });
    if (links.length === 0) return [];
    const rows = await this.#m.rooms.findAll({
      where: {
        id: { [Op.in]: links.map((l) => l.get({ plain: true }).room_id) },
        kind: 'adhoc',
        ended_at: null,
        closes_at: { [Op.gt]: now },
      },
      order: [['created_at', 'DESC']],
    });
    return rows.map((r) => toRoom(r.get({ plain: true })));
  }

  /** An open ad-hoc room a therapist has for exactly these clients (so a second click reuses it). */
  async openAdhocFor(hostId: string, clientIds: readonly string[], now: Date): Promise<Room | null> {
    const wanted = [...clientIds].sort().join(',');
    const rows = await this.#m.rooms.findAll({
      where: { host_id: hostId, kind: 'adhoc', ended_at: null, closes_at: { [Op.gt]: now } },
      order: [['created_at', 'DESC']],
    });
    for (const row of rows) {
      const plain = row.get({ plain: true });
      const ids = await this.participantIds(plain.id);
      if (ids.sort().join(',') === wanted) return toRoom(plain);
    }
    return null;
  }

  async markEnded(roomId: string, at: Date, transaction?: Transaction): Promise<void> {
    await this.#m.rooms.update({ ended_at: at }, { where: { id: roomId, ended_at: null }, transaction });
  }

  async insertChat(message: StoredChatMessage, transaction: Transaction): Promise<void> {
    const row: ChatMessageRow = {
      id: message.id,
      room_id: message.roomId,
      sender_id: message.senderId,
      body_enc: this.#cipher.encrypt(message.body, CHAT_CONTEXT),
      created_at: message.createdAt,
    };
    await this.#m.chat.create(row, { transaction });
  }

  async chatFor(
    roomId: string,
    limit: number,
    transaction?: Transaction,
    since: Date | null = null,
  ): Promise<StoredChatMessage[]> {
    const rows = await this.#m.chat.findAll({
      where: since ? { room_id: roomId, created_at: { [Op.gt]: since } } : { room_id: roomId },
      order: [['created_at', 'DESC']],
      limit,
      transaction,
    });
    return rows.reverse().map((r) => {
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

  async openAttendance(
    id: string,
    roomId: string,
    userId: string,
    at: Date,
    transaction?: Transaction,
  ): Promise<void> {
    await this.#m.attendance.create(
      { id, room_id: roomId, user_id: userId, joined_at: at, left_at: null, duration_seconds: null },
      { transaction },
    );
  }

  async closeAttendance(id: string, at: Date): Promise<void> {
    const row = await this.#m.attendance.findByPk(id);
    const plain = row?.get({ plain: true });
    if (!row || !plain || plain.left_at) return;
    const joined = new Date(plain.joined_at).getTime();
    await row.update({
      left_at: at,
      duration_seconds: Math.max(0, Math.round((at.getTime() - joined) / 1000)),
    });
  }

  /** Whether anyone's attendance in the room is open now (admitted there, on whichever node). */
  async hasOpenAttendance(roomId: string): Promise<boolean> {
    return (await this.#m.attendance.count({ where: { room_id: roomId, left_at: null } })) > 0;
  }

  /** Attendance still open in a room that began before `before` (what a dead node left open). */
  async openAttendanceBefore(
    roomId: string,
    before: Date,
  ): Promise<Array<{ id: string; userId: string; joinedAt: Date }>> {
    const rows = await this.#m.attendance.findAll({
      where: { room_id: roomId, left_at: null, joined_at: { [Op.lte]: before } },
    });
    return rows.map((r) => {
      const p: AttendanceRow = r.get({ plain: true });
      return { id: p.id, userId: p.user_id, joinedAt: new Date(p.joined_at) };
    });
  }

  async attendanceFor(roomId: string): Promise<AttendanceRecord[]> {
    const rows = await this.#m.attendance.findAll({
      where: { room_id: roomId },
      order: [['joined_at', 'ASC']],
    });
    return rows.map((r) => {
      const p: AttendanceRow = r.get({ plain: true });
      return {
        userId: p.user_id,
        joinedAt: new Date(p.joined_at),
        leftAt: p.left_at ? new Date(p.left_at) : null,
        durationSeconds: p.duration_seconds,
      };
    });
  }
}
