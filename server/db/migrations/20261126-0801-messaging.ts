import { DataTypes } from 'sequelize';
import type { Migration } from '../migration-context';

const id = { type: DataTypes.STRING(36), primaryKey: true };
const userRef = (allowNull = false) => ({
  type: DataTypes.STRING(36),
  allowNull,
  references: { model: 'users', key: 'id' },
  onDelete: 'CASCADE',
});
const at = (allowNull = false) => ({ type: DataTypes.DATE, allowNull });

/**
 * Secure messaging. Bodies and attachment names are FieldCipher ciphertext (`*_enc`); attachment
 * contents live encrypted on disk under DATA_DIR/attachments, named by the attachment id.
 */
export const migration: Migration = {
  name: '20261126-0801-messaging',
  async up({ queryInterface }) {
    await queryInterface.createTable('message_threads', {
      id,
      /** care | front_desk */
      kind: { type: DataTypes.STRING(20), allowNull: false },
      client_id: userRef(),
      /** Null for a front-desk thread. */
      therapist_id: userRef(true),
      /** `care:<therapist>:<client>` or `front_desk:<client>`: one thread per pair (NULLs are never equal in a unique index). */
      pair_key: { type: DataTypes.STRING(100), allowNull: false, unique: true },
      /** Sequence number of the newest message; read state is "read up to seq N". */
      last_seq: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      created_at: at(),
      last_message_at: at(true),
    });
    await queryInterface.addIndex('message_threads', ['client_id']);
    await queryInterface.addIndex('message_threads', ['therapist_id']);

    await queryInterface.createTable('messages', {
      id,
      thread_id: {
        type: DataTypes.STRING(36),
        allowNull: false,
        references: { model: 'message_threads', key: 'id' },
        onDelete: 'CASCADE',
      },
      seq: { type: DataTypes.INTEGER, allowNull: false },
      sender_id: userRef(),
      /** Null once retracted (the body is gone, not hidden). */
      body_enc: { type: DataTypes.TEXT, allowNull: true },
      created_at: at(),
      retracted_at: at(true),
    });
    await queryInterface.addIndex('messages', ['thread_id', 'seq'], { unique: true });

    await queryInterface.createTable('message_attachments', {
      /** Also the file name on disk: random, never the sender's. */
      id,
      message_id: {
        type: DataTypes.STRING(36),
        allowNull: false,
        references: { model: 'messages', key: 'id' },
        onDelete: 'CASCADE',
      },
      thread_id: { type: DataTypes.STRING(36), allowNull: false },
      /** The sender's file name (it can say a lot), sealed. */
      name_enc: { type: DataTypes.TEXT, allowNull: false },
      /** Found by looking at the content, never taken from the upload. */
      content_type: { type: DataTypes.STRING(50), allowNull: false },
      size_bytes: { type: DataTypes.INTEGER, allowNull: false },
      created_at: at(),
    });
    await queryInterface.addIndex('message_attachments', ['message_id']);

    // Per person and thread: read up to which message (read receipts and unread counts).
    await queryInterface.createTable('message_thread_reads', {
      thread_id: {
        type: DataTypes.STRING(36),
        primaryKey: true,
        references: { model: 'message_threads', key: 'id' },
        onDelete: 'CASCADE',
      },
      user_id: { ...userRef(), primaryKey: true },
      last_read_seq: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      read_at: at(true),
    });

    await queryInterface.createTable('messaging_away_notices', {
      user_id: { ...userRef(), primaryKey: true },
      text: { type: DataTypes.TEXT, allowNull: false },
      updated_at: at(),
    });
  },
  async down({ queryInterface }) {
    await queryInterface.dropTable('messaging_away_notices');
    await queryInterface.dropTable('message_thread_reads');
    await queryInterface.dropTable('message_attachments');
    await queryInterface.dropTable('messages');
    await queryInterface.dropTable('message_threads');
  },
};
