import { DataTypes, type Model, type ModelStatic, type Sequelize } from 'sequelize';

export interface RoomRow {
  id: string;
  kind: 'appointment' | 'adhoc' | 'group';
  appointment_id: string | null;
  /** A peer-support group's meeting (kind `group`). */
  meeting_id?: string | null;
  host_id: string;
  created_at: Date;
  closes_at: Date | null;
  ended_at: Date | null;
}
export interface RoomParticipantRow {
  room_id: string;
  user_id: string;
}
export interface ChatMessageRow {
  id: string;
  room_id: string;
  sender_id: string;
  /** FieldCipher ciphertext, context `room_chat_messages.body`. */
  body_enc: string;
  created_at: Date;
}
export interface AttendanceRow {
  id: string;
  room_id: string;
  user_id: string;
  joined_at: Date;
  left_at: Date | null;
  duration_seconds: number | null;
}

export interface RoomModels {
  readonly rooms: ModelStatic<Model<RoomRow, RoomRow>>;
  readonly participants: ModelStatic<Model<RoomParticipantRow, RoomParticipantRow>>;
  readonly chat: ModelStatic<Model<ChatMessageRow, ChatMessageRow>>;
  readonly attendance: ModelStatic<Model<AttendanceRow, AttendanceRow>>;
}

const id = { type: DataTypes.STRING(36), primaryKey: true };
const options = { timestamps: false, underscored: true } as const;

export function defineRoomModels(sequelize: Sequelize): RoomModels {
  const rooms = sequelize.define<Model<RoomRow, RoomRow>>(
    'Room',
    {
      id,
      kind: { type: DataTypes.STRING(20), allowNull: false },
      appointment_id: { type: DataTypes.STRING(36), allowNull: true },
      meeting_id: { type: DataTypes.STRING(36), allowNull: true },
      host_id: { type: DataTypes.STRING(36), allowNull: false },
      created_at: { type: DataTypes.DATE, allowNull: false },
      closes_at: { type: DataTypes.DATE, allowNull: true },
      ended_at: { type: DataTypes.DATE, allowNull: true },
    },
    { ...options, tableName: 'rooms' },
  );
  const participants = sequelize.define<Model<RoomParticipantRow, RoomParticipantRow>>(
    'RoomParticipant',
    {
      room_id: { type: DataTypes.STRING(36), primaryKey: true },
      user_id: { type: DataTypes.STRING(36), primaryKey: true },
    },
    { ...options, tableName: 'room_participants' },
  );
  const chat = sequelize.define<Model<ChatMessageRow, ChatMessageRow>>(
    'RoomChatMessage',
    {
      id,
      room_id: { type: DataTypes.STRING(36), allowNull: false },
      sender_id: { type: DataTypes.STRING(36), allowNull: false },
      body_enc: { type: DataTypes.TEXT, allowNull: false },
      created_at: { type: DataTypes.DATE, allowNull: false },
    },
    { ...options, tableName: 'room_chat_messages' },
  );
  const attendance = sequelize.define<Model<AttendanceRow, AttendanceRow>>(
    'RoomAttendance',
    {
      id,
      room_id: { type: DataTypes.STRING(36), allowNull: false },
      user_id: { type: DataTypes.STRING(36), allowNull: false },
      joined_at: { type: DataTypes.DATE, allowNull: false },
      left_at: { type: DataTypes.DATE, allowNull: true },
      duration_seconds: { type: DataTypes.INTEGER, allowNull: true },
    },
    { ...options, tableName: 'room_attendance' },
  );
  return { rooms, participants, chat, attendance };
}
