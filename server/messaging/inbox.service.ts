import type {
  AuditPort,
  CarePort,
  MessagingActor,
  MessagingSettings,
  PeoplePort,
  SearchHit,
  ThreadSummary,
} from './messaging.types';
import type { Clock } from '../shared/clock';
import { AppError, phrase } from '../shared/errors';
import { newId } from '../shared/ids';
import { canOpenCareThread, canOpenFrontDeskThread } from './messaging.policy';
import type { MessagingRepository } from './messaging.repository';
import { searchInput } from './messaging.schemas';
import type { ThreadDirectory } from './thread-directory';

const SEARCH_LIMIT = 50;
const SNIPPET_CHARS = 60;

/** The list of conversations, starting one, unread counts and search. */
export class InboxService {
  readonly #repo: MessagingRepository;
  readonly #directory: ThreadDirectory;
  readonly #care: CarePort;
  readonly #people: PeoplePort;
  readonly #audit: AuditPort;
  readonly #settings: MessagingSettings;
  readonly #clock: Clock;

  constructor(deps: {
    repo: MessagingRepository;
    directory: ThreadDirectory;
    care: CarePort;
    people: PeoplePort;
    audit: AuditPort;
    settings: MessagingSettings;
    clock: Clock;
  }) {
    this.#repo = deps.repo;
    this.#directory = deps.directory;
    this.#care = deps.care;
    this.#people = deps.people;
    this.#audit = deps.audit;
    this.#settings = deps.settings;
    this.#clock = deps.clock;
  }

  /**
   * The inbox: existing threads the person may read, plus everyone they may start writing to (their
   * therapists, their clients, the front desk). Names and counts only; no message content.
   */
  async threadsFor(actor: MessagingActor): Promise<ThreadSummary[]> {
    const readable = await this.#directory.readableThreads(actor);
    const unread = await this.#repo.unreadCounts(
      readable.map((r) => r.thread.id),
      actor.id,
    );
    const rows: ThreadSummary[] = [];
    const seen = new Set<string>();
    for (const { thread, canWrite } of readable) {
      const withUserId =
        thread.kind === 'front_desk'
          ? actor.id === thread.clientId
            ? null
            : thread.clientId
          : actor.id === thread.clientId
            ? thread.therapistId
            : thread.clientId;
      seen.add(
        `${thread.kind}:${thread.kind === 'front_desk' && actor.id === thread.clientId ? 'desk' : withUserId}`,
      );
      rows.push({
        threadId: thread.id,
        kind: thread.kind,
        withUserId,
        title: await this.#directory.titleFor(actor, thread),
        unread: unread.get(thread.id) ?? 0,
        lastMessageAt: thread.lastMessageAt,
        canWrite,
      });
    }
    const possible: string[] = [];
    if (actor.roles.includes('client')) possible.push(...(await this.#care.treatingTherapistIds(actor.id)));
    if (actor.roles.includes('therapist')) {
      possible.push(...(await this.#care.clientsOf(actor.id)).map((c) => c.clientId));
    }
    for (const id of possible) {
      if (seen.has(`care:${id}`) || id === actor.id) continue;
      seen.add(`care:${id}`);
      const person = await this.#people.byId(id);
      rows.push({
        threadId: null,
        kind: 'care',
        withUserId: id,
        title: person?.displayName ?? 'Someone',
        unread: 0,
        lastMessageAt: null,
        canWrite: true,
      });
    }
    if (canOpenFrontDeskThread(actor, this.#settings.frontDesk) && !seen.has('front_desk:desk')) {
      rows.push({
        threadId: null,
        kind: 'front_desk',
        withUserId: null,
        title: 'Front desk',
        unread: 0,
        lastMessageAt: null,
        canWrite: true,
      });
    }
    // Newest conversation first; ones not started yet at the end, by name.
    return rows.sort(
      (a, b) =>
        (b.lastMessageAt?.getTime() ?? -1) - (a.lastMessageAt?.getTime() ?? -1) ||
        a.title.localeCompare(b.title),
    );
  }

  /** The thread with a therapist, a client, or the front desk (created on first use). */
  async open(actor: MessagingActor, withWhom: string): Promise<string> {
    const now = this.#clock.now();
    if (withWhom === 'front_desk') {
      if (!canOpenFrontDeskThread(actor, this.#settings.frontDesk)) throw await this.#refuse(actor, withWhom);
      return (await this.#opened(actor, 'front_desk', actor.id, null, now)).id;
    }
    if (actor.roles.includes('client')) {
      const treating = await this.#care.treatingTherapistIds(actor.id);
      if (canOpenCareThread(actor, withWhom, actor.id, treating)) {
        return (await this.#opened(actor, 'care', actor.id, withWhom, now)).id;
      }
    }
    if (actor.roles.includes('therapist')) {
      const treating = await this.#care.treatingTherapistIds(withWhom);
      if (canOpenCareThread(actor, actor.id, withWhom, treating)) {
        return (await this.#opened(actor, 'care', withWhom, actor.id, now)).id;
      }
    }
    throw await this.#refuse(actor, withWhom);
  }

  async #opened(
    actor: MessagingActor,
    kind: 'care' | 'front_desk',
    clientId: string,
    therapistId: string | null,
    now: Date,
  ): Promise<{ id: string }> {
    const { thread, created } = await this.#repo.ensureThread(kind, clientId, therapistId, newId(), now);
    if (created) {
      await this.#audit.record({
        actorId: actor.id,
        action: 'message.thread.opened',
        targetType: 'message_thread',
        targetId: thread.id,
        subjectId: clientId,
        ip: actor.ip ?? null,
        details: { kind },
      });
    }
    return thread;
  }

  async #refuse(actor: MessagingActor, withWhom: string): Promise<AppError> {
    await this.#audit.record({
      actorId: actor.id,
      action: 'messaging.access_denied',
      targetType: 'message_thread',
      targetId: null,
      ip: actor.ip ?? null,
      details: { with: withWhom },
    });
    return new AppError('messaging.not_allowed', 'forbidden', phrase('errors:messaging.notAllowed'));
  }

  /** Unread messages across the person's threads, for dashboards and the header. */
  async unreadCountFor(userId: string): Promise<number> {
    const user = await this.#people.byId(userId);
    if (!user || user.status !== 'active') return 0;
    const readable = await this.#directory.readableThreads({ id: user.id, roles: user.roles });
    const counts = await this.#repo.unreadCounts(
      readable.map((r) => r.thread.id),
      user.id,
    );
    let total = 0;
    for (const n of counts.values()) total += n;
    return total;
  }

  /**
   * Search within the person's own threads. Bodies are encrypted, so the database cannot search
   * them: we open the messages of the threads this person may read and filter in memory. At clinic
   * scale (hundreds to a few thousand messages per person) that is milliseconds; a clinic far larger
   * would need an encrypted search index instead. The query itself is never stored or audited.
   */
  async search(actor: MessagingActor, query: string): Promise<SearchHit[]> {
    const parsed = searchInput.safeParse(query);
    const needle = parsed.success ? parsed.data.toLocaleLowerCase() : '';
    if (needle.length < 2) {
      throw new AppError(
        'messaging.search_too_short',
        'bad_request',
        phrase('errors:messaging.searchTooShort', { min: 2 }),
      );
    }
    const readable = await this.#directory.readableThreads(actor);
    const threads = new Map(readable.map((r) => [r.thread.id, r.thread]));
    const messages = await this.#repo.messagesOf([...threads.keys()]);
    const hits: SearchHit[] = [];
    const titles = new Map<string, string>();
    const names = await this.#directory.names(messages.map((m) => m.senderId));
    for (const m of messages.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())) {
      if (hits.length >= SEARCH_LIMIT) break;
      const at = m.body?.toLocaleLowerCase().indexOf(needle) ?? -1;
      if (m.body === null || at < 0) continue;
      const thread = threads.get(m.threadId)!;
      if (!titles.has(thread.id)) titles.set(thread.id, await this.#directory.titleFor(actor, thread));
      const from = Math.max(0, at - SNIPPET_CHARS);
      const to = Math.min(m.body.length, at + needle.length + SNIPPET_CHARS);
      hits.push({
        threadId: thread.id,
        threadTitle: titles.get(thread.id)!,
        messageId: m.id,
        senderName: names.get(m.senderId) ?? 'Someone',
        sentAt: m.createdAt.toISOString(),
        snippet: `${from > 0 ? '…' : ''}${m.body.slice(from, to)}${to < m.body.length ? '…' : ''}`,
      });
    }
    // Searching opened every message of every thread searched: one audit row per thread, so
    // "everything about client X" finds it. The query itself is not recorded (it may be sensitive).
    const matchesIn = new Map<string, number>();
    for (const hit of hits) matchesIn.set(hit.threadId, (matchesIn.get(hit.threadId) ?? 0) + 1);
    for (const thread of threads.values()) {
      await this.#audit.record({
        actorId: actor.id,
        action: 'message.searched',
        targetType: 'message_thread',
        targetId: thread.id,
        subjectId: thread.clientId,
        ip: actor.ip ?? null,
        details: { matches: matchesIn.get(thread.id) ?? 0 },
      });
    }
    return hits;
  }
}
