import { Op, type Transaction } from 'sequelize';
import type { FieldCipher } from '../shared/field-encryption';
import type { GuestAttendanceRow, GuestModels, GuestRow } from './guests.model';
import type { GuestRole } from './rooms.types';

/** An invited guest as the rooms feature works with it (decrypted here, never above). */
export interface Guest {
  readonly id: string;
  readonly appointmentId: string;
  readonly invitedBy: string;
  readonly role: GuestRole;
  readonly displayName: string;
  readonly email: string;
  /** Interpreters: the language they interpret (the room shows it). */
  readonly language: string | null;
  /** The language the guest reads: their email, link and room pages (null: invited before it was asked). */
  readonly readingLanguage: string | null;
  readonly createdAt: Date;
  readonly redeemedAt: Date | null;
  readonly revokedAt: Date | null;
  readonly removalRequestedAt: Date | null;
}

/** A guest's time in a session (attendance). */
export interface GuestAttendance {
  readonly guestId: string;
  readonly joinedAt: Date;
  readonly leftAt: Date | null;
  readonly durationSeconds: number | null;
}

const NAME = 'room_guests.name';
const EMAIL = 'room_guests.email';
const LANGUAGE = 'room_guests.language';
const READING_LANGUAGE = 'room_guests.reading_language';

/** Invited guests and their attendance. Plain objects out; only the link's hash is stored. */
export class GuestsRepository {
  readonly #m: GuestModels;
  readonly #cipher: FieldCipher;

  constructor(models: GuestModels, cipher: FieldCipher) {
    this.#m = models;
    this.#cipher = cipher;
  }

  #toGuest(row: GuestRow): Guest {
    return {
      id: row.id,
      appointmentId: row.appointment_id,
      invitedBy: row.invited_by,
      role: row.role as GuestRole,
      displayName: this.#cipher.decrypt(row.name_enc, NAME),
      email: this.#cipher.decrypt(row.email_enc, EMAIL),
      language: row.language_enc ? this.#cipher.decrypt(row.language_enc, LANGUAGE) : null,
      readingLanguage: row.reading_language_enc
        ? this.#cipher.decrypt(row.reading_language_enc, READING_LANGUAGE)
        : null,
      createdAt: new Date(row.created_at),
      redeemedAt: row.redeemed_at ? new Date(row.redeemed_at) : null,
      revokedAt: row.revoked_at ? new Date(row.revoked_at) : null,
      removalRequestedAt: row.removal_requested_at ? new Date(row.removal_requested_at) : null,
    };
  }

  async insert(
    guest: Omit<Guest, 'redeemedAt' | 'revokedAt' | 'removalRequestedAt'>,
    tokenHash: string,
    transaction: Transaction,
  ): Promise<void> {
    await this.#m.guests.create(
      {
        id: guest.id,
        appointment_id: guest.appointmentId,
        invited_by: guest.invitedBy,
        role: guest.role,
        name_enc: this.#cipher.encrypt(guest.displayName, NAME),
        email_enc: this.#cipher.encrypt(guest.email, EMAIL),
        language_enc: guest.language ? this.#cipher.encrypt(guest.language, LANGUAGE) : null,
        reading_language_enc: guest.readingLanguage
          ? this.#cipher.encrypt(guest.readingLanguage, READING_LANGUAGE)
          : null,
        token_hash: tokenHash,
        created_at: guest.createdAt,
        redeemed_at: null,
        revoked_at: null,
        removal_requested_at: null,
      },
      { transaction },
    );
  }

  async byId(id: string): Promise<Guest | null> {
    const row = await this.#m.guests.findByPk(id);
    return row ? this.#toGuest(row.get({ plain: true })) : null;
  }

  async byTokenHash(tokenHash: string): Promise<Guest | null> {
    const row = await this.#m.guests.findOne({ where: { token_hash: tokenHash } });
    return row ? this.#toGuest(row.get({ plain: true })) : null;
  }

  /** Guests of an appointment, removed ones included (the page lists them as removed), oldest first. */
  async forAppointment(appointmentId: string): Promise<Guest[]> {
    const rows = await this.#m.guests.findAll({
      where: { appointment_id: appointmentId },
      order: [['created_at', 'ASC']],
    });
    return rows.map((r) => this.#toGuest(r.get({ plain: true })));
  }

  /** Uses the link up; false if someone used it first (two clicks racing: one wins). */
  async redeem(id: string, at: Date): Promise<boolean> {
    const [count] = await this.#m.guests.update(
      { redeemed_at: at },
      { where: { id, redeemed_at: null, revoked_at: null } },
    );
    return count === 1;
  }

  async revoke(id: string, at: Date, transaction?: Transaction): Promise<void> {
    await this.#m.guests.update({ revoked_at: at }, { where: { id, revoked_at: null }, transaction });
  }

  async markRemovalRequested(id: string, at: Date, transaction?: Transaction): Promise<void> {
    await this.#m.guests.update(
      { removal_requested_at: at },
      { where: { id, removal_requested_at: null }, transaction },
    );
  }

  async openAttendance(
    id: string,
    roomId: string,
    guestId: string,
    at: Date,
    transaction?: Transaction,
  ): Promise<void> {
    await this.#m.attendance.create(
      { id, room_id: roomId, guest_id: guestId, joined_at: at, left_at: null, duration_seconds: null },
      { transaction },
    );
  }

  /** Closes an open attendance row; false if `id` is not a guest's (the caller tries the other table). */
  async closeAttendance(id: string, at: Date): Promise<boolean> {
    const row = await this.#m.attendance.findOne({ where: { id, left_at: { [Op.is]: null } } });
    const plain = row?.get({ plain: true });
    if (!row || !plain) return false;
    const joined = new Date(plain.joined_at).getTime();
    await row.update({
      left_at: at,
      duration_seconds: Math.max(0, Math.round((at.getTime() - joined) / 1000)),
    });
    return true;
  }

  async attendanceFor(roomId: string): Promise<GuestAttendance[]> {
    const rows = await this.#m.attendance.findAll({
      where: { room_id: roomId },
      order: [['joined_at', 'ASC']],
    });
    return rows.map((r) => {
      const p: GuestAttendanceRow = r.get({ plain: true });
      return {
        guestId: p.guest_id,
        joinedAt: new Date(p.joined_at),
        leftAt: p.left_at ? new Date(p.left_at) : null,
        durationSeconds: p.duration_seconds,
      };
    });
  }
}
