import { DataTypes, type Model, type ModelStatic, type Sequelize } from 'sequelize';

/** An invited guest of one appointment's session (migration 20261203-2301-room-guests). */
export interface GuestRow {
  id: string;
  appointment_id: string;
  invited_by: string;
  role: string;
  /** FieldCipher ciphertext, contexts `room_guests.name` / `.email` / `.language` / `.reading_language`. */
  name_enc: string;
  email_enc: string;
  language_enc: string | null;
  /** The language the guest reads (migration 20261204-0600); null for guests invited before it. */
  reading_language_enc: string | null;
  token_hash: string;
  created_at: Date;
  redeemed_at: Date | null;
  revoked_at: Date | null;
  removal_requested_at: Date | null;
}

export interface GuestAttendanceRow {
  id: string;
  room_id: string;
  guest_id: string;
  joined_at: Date;
  left_at: Date | null;
  duration_seconds: number | null;
}

export interface GuestModels {
  readonly guests: ModelStatic<Model<GuestRow, GuestRow>>;
  readonly attendance: ModelStatic<Model<GuestAttendanceRow, GuestAttendanceRow>>;
}

const options = { timestamps: false, underscored: true } as const;
/** A fresh object per column: Sequelize writes each attribute's own field name into its definition. */
const optionalDate = () => ({ type: DataTypes.DATE, allowNull: true });

export function defineGuestModels(sequelize: Sequelize): GuestModels {
  const guests = sequelize.define<Model<GuestRow, GuestRow>>(
    'RoomGuest',
    {
      id: { type: DataTypes.STRING(36), primaryKey: true },
      appointment_id: { type: DataTypes.STRING(36), allowNull: false },
      invited_by: { type: DataTypes.STRING(36), allowNull: false },
      role: { type: DataTypes.STRING(20), allowNull: false },
      name_enc: { type: DataTypes.TEXT, allowNull: false },
      email_enc: { type: DataTypes.TEXT, allowNull: false },
      language_enc: { type: DataTypes.TEXT, allowNull: true },
      reading_language_enc: { type: DataTypes.TEXT, allowNull: true },
      token_hash: { type: DataTypes.STRING(64), allowNull: false },
      created_at: { type: DataTypes.DATE, allowNull: false },
      redeemed_at: optionalDate(),
      revoked_at: optionalDate(),
      removal_requested_at: optionalDate(),
    },
    { ...options, tableName: 'room_guests' },
  );
  const attendance = sequelize.define<Model<GuestAttendanceRow, GuestAttendanceRow>>(
    'RoomGuestAttendance',
    {
      id: { type: DataTypes.STRING(36), primaryKey: true },
      room_id: { type: DataTypes.STRING(36), allowNull: false },
      guest_id: { type: DataTypes.STRING(36), allowNull: false },
      joined_at: { type: DataTypes.DATE, allowNull: false },
      left_at: optionalDate(),
      duration_seconds: { type: DataTypes.INTEGER, allowNull: true },
    },
    { ...options, tableName: 'room_guest_attendance' },
  );
  return { guests, attendance };
}
