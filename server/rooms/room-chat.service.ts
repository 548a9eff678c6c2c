import type { Sequelize, Transaction } from 'sequelize';
import type { AuditTrail } from '../audit';
import type { Clock } from '../shared/clock';
import { newId } from '../shared/ids';
import type { RoomsRepository } from './rooms.repository';
import type { ChatMessage, PeopleLookup } from './rooms.types';

/** How much history a person gets when they enter (older messages stay stored and readable later). */
export const CHAT_HISTORY_LIMIT = 200;

/**
 * In-session chat. Bodies are encrypted at rest by the repository; every write and every read of
 * history is audited in the same transaction, with the room's client as the subject. Callers have
 * already checked that the person is admitted to the room.
 */
export class RoomChatService {
  readonly #sequelize: Sequelize;
  readonly #repo: RoomsRepository;
  readonly #audit: AuditTrail;
  readonly #clock: Clock;
  readonly #people: PeopleLookup;

  constructor(deps: {
    sequelize: Sequelize;
    repo: RoomsRepository;
    audit: AuditTrail;
    clock: Clock;
    people: PeopleLookup;
  }) {
    this.#sequelize = deps.sequelize;
    this.#repo = deps.repo;
    this.#audit = deps.audit;
    this.#clock = deps.clock;
    this.#people = deps.people;
  }

  async send(
    roomId: string,
    sender: { id: string; displayName: string },
    body: string,
    subjectId: string | null,
    ip: string | null,
  ): Promise<ChatMessage> {
    const message = { id: newId(), roomId, senderId: sender.id, body, createdAt: this.#clock.now() };
    await this.#sequelize.transaction(async (transaction) => {
      await this.#repo.insertChat(message, transaction);
      await this.#audit.record(
        {
          actorId: sender.id,
          action: 'room.chat.sent',
          targetType: 'room_chat_message',
          targetId: message.id,
          subjectId,
          ip,
          details: { roomId },
        },
        transaction,
      );
    });
    return {
      id: message.id,
      roomId,
      senderId: sender.id,
      senderName: sender.displayName,
      body,
      sentAt: message.createdAt.toISOString(),
    };
  }

  /**
   * The latest messages, read and audited in one transaction (the caller's, when it passes one).
   * `since`: only messages after then (an invited guest sees nothing from before they were let in).
   */
  async history(
    roomId: string,
    readerId: string,
    subjectId: string | null,
    ip: string | null,
    within?: Transaction,
    since: Date | null = null,
  ): Promise<ChatMessage[]> {
    const read = async (transaction: Transaction) => {
      const rows = await this.#repo.chatFor(roomId, CHAT_HISTORY_LIMIT, transaction, since);
      await this.#audit.record(
        {
          actorId: readerId,
          action: 'room.chat.read',
          targetType: 'room',
          targetId: roomId,
          subjectId,
          ip,
          details: { messages: rows.length, ...(since ? { since: since.toISOString() } : {}) },
        },
        transaction,
      );
      return rows;
    };
    const stored = within ? await read(within) : await this.#sequelize.transaction(read);
    const names = new Map<string, string>();
    for (const id of new Set(stored.map((m) => m.senderId))) {
      names.set(id, (await this.#people.displayName(id)) ?? 'Someone');
    }
    return stored.map((m) => ({
      id: m.id,
      roomId: m.roomId,
      senderId: m.senderId,
      senderName: names.get(m.senderId) ?? 'Someone',
      body: m.body,
      sentAt: m.createdAt.toISOString(),
    }));
  }
}
