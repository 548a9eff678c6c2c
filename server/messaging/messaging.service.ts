import type { Sequelize } from 'sequelize';
import type { Clock } from '../shared/clock';
import type { Logger } from '../shared/logger';
import { AppError, issueProblem, phrase } from '../shared/errors';
import { formatBytes } from '../shared/file-size';
import { newId } from '../shared/ids';
import { TypedEmitter } from '../shared/typed-emitter';
import type { AttachmentVault } from './attachment-vault';
import { downloadName, sniffContentType } from './content-sniffing';
import type { MessageNotifier } from './message-notifier';
import type { MessagingPresence } from './messaging-presence';
import { canRetract, canSetAwayNotice, membershipIn, type Membership } from './messaging.policy';
import type { MessagingRepository, StoredAttachment, StoredMessage } from './messaging.repository';
import { awayNoticeInput, messageBody } from './messaging.schemas';
import type {
  AttachmentView,
  AuditPort,
  MessageView,
  MessagingActor,
  MessagingEvents,
  MessagingSettings,
  Thread,
  ThreadPage,
  UploadedFile,
} from './messaging.types';
import type { ThreadDirectory } from './thread-directory';

export interface MessagingServiceDeps {
  readonly sequelize: Sequelize;
  readonly repo: MessagingRepository;
  readonly vault: AttachmentVault;
  readonly notifier: MessageNotifier;
  readonly presence: MessagingPresence;
  readonly directory: ThreadDirectory;
  readonly audit: AuditPort;
  readonly settings: MessagingSettings;
  readonly clock: Clock;
  readonly logger: Logger;
}

/**
 * Secure messaging between a client and their therapists (and the front desk). Bodies are sealed
 * at rest, every read and write of content is audited in the same transaction, messages are never
 * edited (only retracted by their sender within five minutes), and the other side hears about a
 * new message live if online, otherwise by an email that says nothing but "You have a new message".
 *
 * Membership is decided before any transaction opens (on SQLite a second writer inside an open
 * write transaction would wait on itself, and a refused attempt's audit row must not roll back).
 */
export class MessagingService extends TypedEmitter<MessagingEvents> {
  readonly #d: MessagingServiceDeps;

  constructor(deps: MessagingServiceDeps) {
    super(deps.logger);
    this.#d = deps;
  }

  /** Reads a thread and moves the reader's read mark to its newest message. */
  async readThread(actor: MessagingActor, threadId: string): Promise<ThreadPage> {
    const { thread, membership } = await this.#membership(actor, threadId, 'message_thread');
    const { repo, sequelize, audit, clock } = this.#d;
    const now = clock.now();
    const { messages, attachments, reads, moved } = await sequelize.transaction(async (tx) => {
      const messages = await repo.messagesOf([thread.id], tx);
      const attachments = await repo.attachmentsOf([thread.id], tx);
      const lastSeq = messages.at(-1)?.seq ?? 0;
      const moved = await repo.markRead(thread.id, actor.id, lastSeq, now, tx);
      await audit.record(
        {
          actorId: actor.id,
          action: 'message.thread.read',
          targetType: 'message_thread',
          targetId: thread.id,
          subjectId: thread.clientId,
          ip: actor.ip ?? null,
          details: { messages: messages.length },
        },
        tx,
      );
      return { messages, attachments, reads: await repo.readState(thread.id, tx), moved };
    });
    const members = await this.#d.directory.memberIds(thread);
    if (moved) this.#emitRead(thread, actor.id, messages.at(-1)?.seq ?? 0, members);
    return {
      thread,
      side: membership.side,
      title: await this.#d.directory.titleFor(actor, thread),
      messages: await this.#views(thread, messages, attachments, reads, actor.id, members),
      canWrite: membership.canWrite,
      awayNotice: thread.therapistId ? await repo.awayNotice(thread.therapistId) : null,
      expectations: this.#d.settings.expectations,
      retractableIds: messages.filter((m) => canRetract(actor, m, now)).map((m) => m.id),
    };
  }

  /**
   * Marks a thread read up to its newest message (a live message arrived on an open page), and
   * says how far the other members have read: a page that (re)subscribed after their read event
   * went out learns it here instead of showing "Sent" until it is reloaded.
   */
  async markRead(actor: MessagingActor, threadId: string): Promise<{ seq: number; othersRead: number }> {
    const { thread } = await this.#membership(actor, threadId, 'message_thread');
    const now = this.#d.clock.now();
    const moved = await this.#d.sequelize.transaction(async (tx) => {
      const fresh = await this.#d.repo.threadById(thread.id, tx);
      const seq = fresh?.lastSeq ?? 0;
      const moved = await this.#d.repo.markRead(thread.id, actor.id, seq, now, tx);
      if (moved) {
        await this.#d.audit.record(
          {
            actorId: actor.id,
            action: 'message.read',
            targetType: 'message_thread',
            targetId: thread.id,
            subjectId: thread.clientId,
            ip: actor.ip ?? null,
            details: { upToSeq: seq },
          },
          tx,
        );
      }
      const reads = await this.#d.repo.readState(thread.id, tx);
      const othersRead = Math.max(0, ...[...reads].filter(([id]) => id !== actor.id).map(([, s]) => s));
      return { moved: moved ? seq : null, othersRead };
    });
    if (moved.moved !== null) {
      this.#emitRead(thread, actor.id, moved.moved, await this.#d.directory.memberIds(thread));
    }
    return { seq: moved.moved ?? thread.lastSeq, othersRead: moved.othersRead };
  }

  async send(
    actor: MessagingActor,
    threadId: string,
    input: { body: string; attachment?: UploadedFile | null },
  ): Promise<MessageView> {
    // Membership first, so a non-member learns nothing (not even whether the input was valid).
    const { thread, membership } = await this.#membership(actor, threadId, 'message_thread');
    const parsed = messageBody.safeParse(input.body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new AppError('messaging.invalid_body', 'bad_request', issue && issueProblem(issue));
    }
    const body = parsed.data;
    const file = input.attachment ?? null;
    if (body === '' && !file) {
      throw new AppError('messaging.empty', 'bad_request', phrase('errors:messaging.empty'));
    }
    if (!membership.canWrite) {
      throw new AppError('messaging.closed', 'forbidden', phrase('errors:messaging.closed'));
    }
    const attachment = file ? this.#checkFile(file) : null;
    const { repo, vault, sequelize, audit, clock, presence, notifier, directory } = this.#d;

    const members = await directory.memberIds(thread);
    const recipients = await directory.recipientsOf(thread, actor.id);
    const offline = recipients.filter((r) => !presence.isOnline(r.id) && r.status === 'active');
    const now = clock.now();
    const messageId = newId();
    if (attachment) await vault.put(attachment.id, file!.bytes);
    let seq: number;
    try {
      seq = await sequelize.transaction(async (tx) => {
        const seq = await repo.insertMessage(
          { id: messageId, threadId: thread.id, senderId: actor.id, body, createdAt: now },
          tx,
        );
        if (attachment) {
          await repo.insertAttachment({ ...attachment, messageId, threadId: thread.id, createdAt: now }, tx);
        }
        // The sender has read their own message.
        await repo.markRead(thread.id, actor.id, seq, now, tx);
        let emailed = 0;
        for (const recipient of offline) {
          if (await notifier.notify(recipient, thread.id, now, tx)) emailed += 1;
        }
        await audit.record(
          {
            actorId: actor.id,
            action: 'message.sent',
            targetType: 'message',
            targetId: messageId,
            subjectId: thread.clientId,
            ip: actor.ip ?? null,
            details: {
              threadId: thread.id,
              attachments: attachment ? 1 : 0,
              live: recipients.length - offline.length,
              emailed,
            },
          },
          tx,
        );
        return seq;
      });
    } catch (error) {
      if (attachment) await vault.remove(attachment.id);
      throw error;
    }
    const stored: StoredMessage = {
      id: messageId,
      threadId: thread.id,
      seq,
      senderId: actor.id,
      body,
      createdAt: now,
      retractedAt: null,
    };
    const [view] = await this.#views(
      thread,
      [stored],
      attachment ? [{ ...attachment, messageId, threadId: thread.id }] : [],
      new Map(),
      actor.id,
      members,
    );
    this.emit('message:new', { to: members, message: view! });
    return view!;
  }

  /** The sender takes a message back within five minutes: the body and any file are deleted. */
  async retract(actor: MessagingActor, messageId: string): Promise<{ threadId: string }> {
    const message = await this.#d.repo.messageById(messageId);
    if (!message) throw notFound();
    const { thread } = await this.#membership(actor, message.threadId, 'message');
    const now = this.#d.clock.now();
    if (!canRetract(actor, message, now)) {
      throw new AppError(
        'messaging.retract_refused',
        'conflict',
        phrase(
          message.senderId === actor.id
            ? 'errors:messaging.retractTooLate'
            : 'errors:messaging.retractNotSender',
        ),
      );
    }
    const fileIds = await this.#d.sequelize.transaction(async (tx) => {
      const ids = await this.#d.repo.retract(message.id, now, tx);
      await this.#d.audit.record(
        {
          actorId: actor.id,
          action: 'message.retracted',
          targetType: 'message',
          targetId: message.id,
          subjectId: thread.clientId,
          ip: actor.ip ?? null,
          details: { threadId: thread.id, attachments: ids.length },
        },
        tx,
      );
      return ids;
    });
    for (const id of fileIds) await this.#d.vault.remove(id);
    this.emit('message:retracted', {
      to: await this.#d.directory.memberIds(thread),
      threadId: thread.id,
      messageId: message.id,
    });
    return { threadId: thread.id };
  }

  /** An attachment's bytes, for a member of its thread. */
  async download(
    actor: MessagingActor,
    attachmentId: string,
  ): Promise<{ name: string; contentType: string; bytes: Buffer }> {
    const attachment = await this.#d.repo.attachmentById(attachmentId);
    if (!attachment) throw notFound();
    const { thread } = await this.#membership(actor, attachment.threadId, 'message_attachment', attachmentId);
    const bytes = await this.#d.vault.get(attachment.id);
    await this.#d.audit.record({
      actorId: actor.id,
      action: 'message.attachment.downloaded',
      targetType: 'message_attachment',
      targetId: attachment.id,
      subjectId: thread.clientId,
      ip: actor.ip ?? null,
      details: { threadId: thread.id, messageId: attachment.messageId },
    });
    return { name: attachment.name, contentType: attachment.contentType, bytes };
  }

  /** A therapist's away notice (shown to clients in the composer); empty text clears it. */
  async setAwayNotice(actor: MessagingActor, text: string): Promise<void> {
    if (!canSetAwayNotice(actor)) throw new AppError('messaging.forbidden', 'forbidden');
    const parsed = awayNoticeInput.safeParse(text);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new AppError('messaging.invalid_away_notice', 'bad_request', issue && issueProblem(issue));
    }
    await this.#d.repo.setAwayNotice(actor.id, parsed.data === '' ? null : parsed.data, this.#d.clock.now());
    await this.#d.audit.record({
      actorId: actor.id,
      action: parsed.data === '' ? 'messaging.away_notice.cleared' : 'messaging.away_notice.set',
      targetType: 'user',
      targetId: actor.id,
      ip: actor.ip ?? null,
    });
  }

  awayNoticeOf(therapistId: string): Promise<string | null> {
    return this.#d.repo.awayNotice(therapistId);
  }

  /** Checks a file by its content and size; returns the row to store (the id is also the file name). */
  #checkFile(file: UploadedFile): StoredAttachment & { id: string } {
    const max = this.#d.settings.attachmentMaxBytes;
    if (file.bytes.length > max) {
      throw new AppError(
        'messaging.attachment_too_large',
        'bad_request',
        // The route writes the size in the reader's digits and units; this is the fallback.
        phrase('messaging:upload.tooLarge', { size: formatBytes(max) }),
      );
    }
    const type = sniffContentType(file.bytes);
    if (!type) {
      throw new AppError('messaging.attachment_type', 'bad_request', phrase('errors:messaging.fileType'));
    }
    return {
      id: newId(),
      messageId: '',
      threadId: '',
      name: downloadName(file.originalName, type),
      contentType: type.contentType,
      sizeBytes: file.bytes.length,
    };
  }

  /** Loads the thread and the actor's place in it; a non-member's attempt is audited and looks like "not found". */
  async #membership(
    actor: MessagingActor,
    threadId: string,
    what: string,
    targetId: string = threadId,
  ): Promise<{ thread: Thread; membership: Membership }> {
    const thread = await this.#d.repo.threadById(threadId);
    const membership = thread ? membershipIn(actor, thread, await this.#d.directory.facts(thread)) : null;
    if (thread && membership) return { thread, membership };
    await this.#d.audit.record({
      actorId: actor.id,
      action: 'messaging.access_denied',
      targetType: what,
      targetId,
      subjectId: thread?.clientId ?? null,
      ip: actor.ip ?? null,
    });
    throw notFound();
  }

  #emitRead(thread: Thread, readerId: string, seq: number, members: readonly string[]): void {
    this.emit('message:read', { to: members, threadId: thread.id, readerId, seq });
  }

  async #views(
    thread: Thread,
    messages: readonly StoredMessage[],
    attachments: readonly StoredAttachment[],
    reads: ReadonlyMap<string, number>,
    viewerId: string,
    members: readonly string[],
  ): Promise<MessageView[]> {
    const names = await this.#d.directory.names(
      members,
      messages.map((m) => m.senderId),
    );
    const byMessage = new Map<string, AttachmentView[]>();
    for (const a of attachments) {
      const list = byMessage.get(a.messageId) ?? [];
      list.push({ id: a.id, name: a.name, contentType: a.contentType, sizeBytes: a.sizeBytes });
      byMessage.set(a.messageId, list);
    }
    return messages.map((m) => {
      const otherSide = this.#d.directory.otherSideOf(thread, m.senderId, [...reads.keys()]);
      const readByOther = otherSide.some((id) => (reads.get(id) ?? 0) >= m.seq);
      return {
        id: m.id,
        threadId: m.threadId,
        seq: m.seq,
        senderId: m.senderId,
        senderName: names.get(m.senderId) ?? 'Someone',
        body: m.retractedAt ? null : m.body,
        sentAt: m.createdAt.toISOString(),
        retracted: m.retractedAt !== null,
        attachments: m.retractedAt ? [] : (byMessage.get(m.id) ?? []),
        readByOther: m.senderId === viewerId && readByOther,
      };
    });
  }
}

export const notFound = (): AppError =>
  new AppError('messaging.not_found', 'not_found', phrase('errors:messaging.noSuchConversation'));
