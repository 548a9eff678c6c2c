import { DataTypes, type Model, type ModelStatic, type Sequelize } from 'sequelize';

export interface ThreadRow {
  id: string;
  kind: 'care' | 'front_desk';
  client_id: string;
  therapist_id: string | null;
  pair_key: string;
  last_seq: number;
  created_at: Date;
  last_message_at: Date | null;
}
export interface MessageRow {
  id: string;
  thread_id: string;
  seq: number;
  sender_id: string;
  /** FieldCipher ciphertext, context `messages.body:<id>`; null once retracted. */
  body_enc: string | null;
  created_at: Date;
  retracted_at: Date | null;
}
export interface AttachmentRow {
  id: string;
  message_id: string;
  thread_id: string;
  /** FieldCipher ciphertext, context `message_attachments.name:<id>`. */
  name_enc: string;
  content_type: string;
  size_bytes: number;
  created_at: Date;
}
export interface ReadRow {
  thread_id: string;
  user_id: string;
  last_read_seq: number;
  read_at: Date | null;
}
export interface AwayRow {
  user_id: string;
  text: string;
  updated_at: Date;
}

export interface MessagingModels {
  readonly threads: ModelStatic<Model<ThreadRow, ThreadRow>>;
  readonly messages: ModelStatic<Model<MessageRow, MessageRow>>;
  readonly attachments: ModelStatic<Model<AttachmentRow, AttachmentRow>>;
  readonly reads: ModelStatic<Model<ReadRow, ReadRow>>;
  readonly away: ModelStatic<Model<AwayRow, AwayRow>>;
}

const id = { type: DataTypes.STRING(36), primaryKey: true };
const ref = (primaryKey = false) => ({ type: DataTypes.STRING(36), allowNull: false, primaryKey });
const options = { timestamps: false, underscored: true } as const;

/** The tables of `20261126-0801-messaging` as Sequelize models (never synced: migrations own the schema). */
export function defineMessagingModels(sequelize: Sequelize): MessagingModels {
  const threads = sequelize.define<Model<ThreadRow, ThreadRow>>(
    'MessageThread',
    {
      id,
      kind: { type: DataTypes.STRING(20), allowNull: false },
      client_id: ref(),
      therapist_id: { type: DataTypes.STRING(36), allowNull: true },
      pair_key: { type: DataTypes.STRING(100), allowNull: false },
      last_seq: { type: DataTypes.INTEGER, allowNull: false },
      created_at: { type: DataTypes.DATE, allowNull: false },
      last_message_at: { type: DataTypes.DATE, allowNull: true },
    },
    { ...options, tableName: 'message_threads' },
  );
  const messages = sequelize.define<Model<MessageRow, MessageRow>>(
    'Message',
    {
      id,
      thread_id: ref(),
      seq: { type: DataTypes.INTEGER, allowNull: false },
      sender_id: ref(),
      body_enc: { type: DataTypes.TEXT, allowNull: true },
      created_at: { type: DataTypes.DATE, allowNull: false },
      retracted_at: { type: DataTypes.DATE, allowNull: true },
    },
    { ...options, tableName: 'messages' },
  );
  const attachments = sequelize.define<Model<AttachmentRow, AttachmentRow>>(
    'MessageAttachment',
    {
      id,
      message_id: ref(),
      thread_id: ref(),
      name_enc: { type: DataTypes.TEXT, allowNull: false },
      content_type: { type: DataTypes.STRING(50), allowNull: false },
      size_bytes: { type: DataTypes.INTEGER, allowNull: false },
      created_at: { type: DataTypes.DATE, allowNull: false },
    },
    { ...options, tableName: 'message_attachments' },
  );
  const reads = sequelize.define<Model<ReadRow, ReadRow>>(
    'MessageThreadRead',
    {
      thread_id: ref(true),
      user_id: ref(true),
      last_read_seq: { type: DataTypes.INTEGER, allowNull: false },
      read_at: { type: DataTypes.DATE, allowNull: true },
    },
    { ...options, tableName: 'message_thread_reads' },
  );
  const away = sequelize.define<Model<AwayRow, AwayRow>>(
    'MessagingAwayNotice',
    {
      user_id: ref(true),
      text: { type: DataTypes.TEXT, allowNull: false },
      updated_at: { type: DataTypes.DATE, allowNull: false },
    },
    { ...options, tableName: 'messaging_away_notices' },
  );
  return { threads, messages, attachments, reads, away };
}
