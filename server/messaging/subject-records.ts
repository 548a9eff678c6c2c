import { Op, type Transaction } from 'sequelize';
import type { AttachmentVault } from './attachment-vault';
import type { MessagingModels } from './messaging.model';
import type { MessagingRepository, StoredAttachment, StoredMessage } from './messaging.repository';
import type { Thread } from './messaging.types';

/** A client's correspondence, opened, for their data export. */
export interface MessagingExport {
  readonly threads: readonly Thread[];
  readonly messages: readonly StoredMessage[];
  readonly attachments: readonly StoredAttachment[];
}

/**
 * Messaging's part of data rights (issue 9). The rule on erasure, written down in
 * server/data-rights/README.md: every thread that belongs to the client (their care threads and
 * their front-desk thread) is deleted whole — both sides' messages, attachment rows and files, read
 * markers — because messaging is correspondence, not the clinical record; anything clinically
 * relevant belongs in a signed note, which is kept (restricted) instead.
 */
export class MessagingSubjectRecords {
  readonly #m: MessagingModels;
  readonly #repo: MessagingRepository;
  readonly #vault: AttachmentVault;

  constructor(models: MessagingModels, repo: MessagingRepository, vault: AttachmentVault) {
    this.#m = models;
    this.#repo = repo;
    this.#vault = vault;
  }

  async #threadIds(clientId: string, transaction?: Transaction): Promise<string[]> {
    const rows = await this.#m.threads.findAll({
      where: { client_id: clientId },
      attributes: ['id'],
      transaction,
    });
    return rows.map((r) => r.get({ plain: true }).id);
  }

  async exportOf(clientId: string): Promise<MessagingExport> {
    const ids = await this.#threadIds(clientId);
    const threads: Thread[] = [];
    for (const id of ids) {
      const thread = await this.#repo.threadById(id);
      if (thread) threads.push(thread);
    }
    return {
      threads,
      messages: await this.#repo.messagesOf(ids),
      attachments: await this.#repo.attachmentsOf(ids),
    };
  }

  /**
   * Deletes the client's threads inside `tx`; returns what was removed and a function that deletes
   * the attachment files, to call once the transaction has committed (a rollback keeps the files).
   */
  async erase(
    clientId: string,
    tx: Transaction,
  ): Promise<{ threads: number; messages: number; attachments: number; removeFiles: () => Promise<void> }> {
    const ids = await this.#threadIds(clientId, tx);
    const byThread = { thread_id: { [Op.in]: ids } };
    const attachmentIds =
      ids.length === 0
        ? []
        : (await this.#m.attachments.findAll({ where: byThread, attributes: ['id'], transaction: tx })).map(
            (r) => r.get({ plain: true }).id,
          );
    let messages = 0;
    if (ids.length > 0) {
      await this.#m.attachments.destroy({ where: byThread, transaction: tx });
      messages = await this.#m.messages.destroy({ where: byThread, transaction: tx });
      await this.#m.reads.destroy({ where: byThread, transaction: tx });
      await this.#m.threads.destroy({ where: { id: { [Op.in]: ids } }, transaction: tx });
    }
    await this.#m.reads.destroy({ where: { user_id: clientId }, transaction: tx });
    await this.#m.away.destroy({ where: { user_id: clientId }, transaction: tx });
    return {
      threads: ids.length,
      messages,
      attachments: attachmentIds.length,
      removeFiles: async () => {
        for (const id of attachmentIds) await this.#vault.remove(id);
      },
    };
  }
}
