import type { User } from '../accounts';
import { membershipIn, type ThreadFacts } from './messaging.policy';
import type { MessagingRepository } from './messaging.repository';
import type { CarePort, MessagingActor, MessagingSettings, PeoplePort, Thread } from './messaging.types';

/**
 * Facts about threads and the people in them: who the members are, who should hear about a new
 * message, what a thread is called for a given reader, and which threads a person may read.
 */
export class ThreadDirectory {
  readonly #repo: MessagingRepository;
  readonly #care: CarePort;
  readonly #people: PeoplePort;
  readonly #settings: MessagingSettings;

  constructor(deps: {
    repo: MessagingRepository;
    care: CarePort;
    people: PeoplePort;
    settings: MessagingSettings;
  }) {
    this.#repo = deps.repo;
    this.#care = deps.care;
    this.#people = deps.people;
    this.#settings = deps.settings;
  }

  async facts(thread: Pick<Thread, 'clientId'>): Promise<ThreadFacts> {
    return {
      treatingTherapistIds: await this.#care.treatingTherapistIds(thread.clientId),
      frontDeskEnabled: this.#settings.frontDesk,
    };
  }

  /** Active admins: the people who answer the front desk. */
  async #frontDesk(excluding: string): Promise<User[]> {
    return (await this.#people.list()).filter(
      (u) => u.roles.includes('admin') && u.status === 'active' && u.id !== excluding,
    );
  }

  /** Everyone who may currently read the thread (live notices go to all of them). */
  async memberIds(thread: Thread): Promise<string[]> {
    if (thread.kind === 'front_desk') {
      return [thread.clientId, ...(await this.#frontDesk(thread.clientId)).map((u) => u.id)];
    }
    const facts = await this.facts(thread);
    const treating = thread.therapistId !== null && facts.treatingTherapistIds.includes(thread.therapistId);
    return treating ? [thread.clientId, thread.therapistId!] : [thread.clientId];
  }

  /** Who is told about a new message from `senderId` (live, or by the "new message" email). */
  async recipientsOf(thread: Thread, senderId: string): Promise<User[]> {
    if (thread.kind === 'front_desk' && senderId === thread.clientId) return this.#frontDesk(thread.clientId);
    const otherId = senderId === thread.clientId ? thread.therapistId : thread.clientId;
    const other = otherId ? await this.#people.byId(otherId) : null;
    return other ? [other] : [];
  }

  /** Of `candidates`, those on the other side from `senderId` (for "read" receipts). */
  otherSideOf(thread: Thread, senderId: string, candidates: readonly string[]): string[] {
    if (thread.kind === 'front_desk') {
      return senderId === thread.clientId
        ? candidates.filter((id) => id !== thread.clientId)
        : [thread.clientId];
    }
    return [senderId === thread.clientId ? thread.therapistId : thread.clientId].filter(
      (id): id is string => id !== null,
    );
  }

  async names(...groups: (readonly string[])[]): Promise<Map<string, string>> {
    const names = new Map<string, string>();
    for (const id of new Set(groups.flat())) {
      const user = await this.#people.byId(id);
      if (user) names.set(id, user.displayName);
    }
    return names;
  }

  /** What the reader calls the thread: the other person's name, or "Front desk" / "<client> (front desk)". */
  async titleFor(reader: MessagingActor, thread: Thread): Promise<string> {
    if (thread.kind === 'front_desk') {
      if (reader.id === thread.clientId) return 'Front desk';
      const client = await this.#people.byId(thread.clientId);
      return `${client?.displayName ?? 'A client'} (front desk)`;
    }
    const otherId = reader.id === thread.clientId ? thread.therapistId : thread.clientId;
    const other = otherId ? await this.#people.byId(otherId) : null;
    return other?.displayName ?? 'Someone';
  }

  /**
   * Every existing thread the actor may read, with their place in it. Care facts come from the
   * fewest reads: a front-desk thread needs none (an admin's list read them once per client), nor
   * does a care thread the actor is not in (membershipIn refuses it whatever the facts); the
   * therapist of a care thread needs only whether they treat its client, which their caseload
   * answers (one read, remembered for the request and shared with the pages that show it); the
   * client of one reads who treats them once.
   */
  async readableThreads(actor: MessagingActor): Promise<{ thread: Thread; canWrite: boolean }[]> {
    const candidates = await this.#repo.threadsInvolving(actor.id, actor.roles.includes('admin'));
    const frontDeskEnabled = this.#settings.frontDesk;
    const noCareFacts: ThreadFacts = { treatingTherapistIds: [], frontDeskEnabled };
    let caseload: Set<string> | undefined;
    let asClient: ThreadFacts | undefined;
    const out: { thread: Thread; canWrite: boolean }[] = [];
    for (const thread of candidates) {
      let facts = noCareFacts;
      if (thread.kind === 'care' && thread.clientId === actor.id) {
        asClient ??= await this.facts(thread);
        facts = asClient;
      } else if (thread.kind === 'care' && thread.therapistId === actor.id) {
        caseload ??= new Set((await this.#care.clientsOf(actor.id)).map((c) => c.clientId));
        facts = { treatingTherapistIds: caseload.has(thread.clientId) ? [actor.id] : [], frontDeskEnabled };
      }
      const membership = membershipIn(actor, thread, facts);
      if (membership) out.push({ thread, canWrite: membership.canWrite });
    }
    return out;
  }
}
