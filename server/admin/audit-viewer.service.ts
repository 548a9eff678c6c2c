import type { AccountsService, User } from '../accounts';
import type { AuditEvent, AuditFilter, AuditTrail } from '../audit';
import { AppError, phrase, type Problem } from '../shared/errors';
import { isAdmin, type AdminActor } from './admin.policy';
import { csvRow } from './csv';

export const AUDIT_PAGE_SIZE = 50;

/** The viewer's form as typed (people by email or id, dates as YYYY-MM-DD in the clinic's zone's UTC day). */
export interface AuditQuery {
  readonly person: string;
  readonly client: string;
  readonly action: string;
  readonly from: string;
  readonly to: string;
  readonly page: number;
}

export interface AuditRowView extends AuditEvent {
  readonly actorName: string | null;
  readonly subjectName: string | null;
}

export interface AuditPage {
  readonly rows: readonly AuditRowView[];
  readonly total: number;
  readonly page: number;
  readonly pages: number;
  readonly query: AuditQuery;
  /** Problems with the query by field (resource keys the page writes in the reader's language). */
  readonly errors: Record<string, Problem>;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export function auditQueryFrom(query: Record<string, unknown>): AuditQuery {
  const str = (v: unknown, max = 200) => (typeof v === 'string' ? v.trim().slice(0, max) : '');
  const page = Number.parseInt(str(query.page), 10);
  return {
    person: str(query.person, 320),
    client: str(query.client, 320),
    action: str(query.action, 100),
    from: str(query.from, 10),
    to: str(query.to, 10),
    page: Number.isFinite(page) && page > 0 ? Math.min(page, 100_000) : 1,
  };
}

/**
 * The admin's window on the audit trail: filter by who acted, which client it concerned, the action
 * and a date range (UTC days); page through, or export as CSV. Looking is itself recorded.
 */
export class AuditViewerService {
  readonly #audit: AuditTrail;
  readonly #accounts: AccountsService;

  constructor(deps: { audit: AuditTrail; accounts: AccountsService }) {
    this.#audit = deps.audit;
    this.#accounts = deps.accounts;
  }

  async #person(value: string): Promise<User | null> {
    if (/^[0-9a-f-]{36}$/i.test(value)) return this.#accounts.byId(value.toLowerCase());
    return (await this.#accounts.list()).find((u) => u.email.toLowerCase() === value.toLowerCase()) ?? null;
  }

  /** The typed query → a filter; unknown people or bad dates become field errors (and match nothing). */
  async #filter(q: AuditQuery): Promise<{ filter: AuditFilter | null; errors: Record<string, Problem> }> {
    const errors: Record<string, Problem> = {};
    const filter: { -readonly [K in keyof AuditFilter]: AuditFilter[K] } = {};
    if (q.person) {
      const p = await this.#person(q.person);
      if (p) filter.actorId = p.id;
      else errors.person = phrase('admin:problem.noOneWithEmail');
    }
    if (q.client) {
      const c = await this.#person(q.client);
      if (c) filter.subjectId = c.id;
      else errors.client = phrase('admin:problem.noClientWithEmail');
    }
    if (q.action) {
      if (/^[a-z0-9_.]+$/i.test(q.action)) filter.action = q.action;
      else errors.action = phrase('admin:problem.actionShape');
    }
    for (const key of ['from', 'to'] as const) {
      if (!q[key]) continue;
      const day = new Date(`${q[key]}T00:00:00.000Z`);
      if (!DAY.test(q[key]) || Number.isNaN(day.getTime())) {
        errors[key] = phrase('admin:problem.dateFormat');
        continue;
      }
      // "to" is inclusive for people: up to the end of that day.
      filter[key] = (key === 'to' ? new Date(day.getTime() + 86_400_000) : day).toISOString();
    }
    return { filter: Object.keys(errors).length ? null : filter, errors };
  }

  async page(actor: AdminActor, q: AuditQuery): Promise<AuditPage> {
    if (!isAdmin(actor)) throw new AppError('admin.forbidden', 'forbidden');
    const { filter, errors } = await this.#filter(q);
    if (!filter) return { rows: [], total: 0, page: 1, pages: 1, query: q, errors };
    const { events, total } = await this.#audit.search(filter, {
      offset: (q.page - 1) * AUDIT_PAGE_SIZE,
      limit: AUDIT_PAGE_SIZE,
    });
    await this.#audit.record({
      actorId: actor.id,
      action: 'audit.viewed',
      ip: actor.ip ?? null,
      details: { filtered: Object.keys(filter).join(',') || 'none', page: q.page },
    });
    const names = await this.#names(events);
    return {
      rows: events.map((e) => ({
        ...e,
        actorName: e.actorId ? (names.get(e.actorId) ?? null) : null,
        subjectName: e.subjectId ? (names.get(e.subjectId) ?? null) : null,
      })),
      total,
      page: q.page,
      pages: Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE)),
      query: q,
      errors,
    };
  }

  async #names(events: readonly AuditEvent[]): Promise<Map<string, string>> {
    const ids = new Set<string>();
    for (const e of events) {
      if (e.actorId) ids.add(e.actorId);
      if (e.subjectId) ids.add(e.subjectId);
    }
    const names = new Map<string, string>();
    for (const id of ids) {
      const u = await this.#accounts.byId(id);
      if (u) names.set(id, `${u.displayName} <${u.email}>`);
    }
    return names;
  }

  /**
   * The matching rows as CSV lines (header first), newest first. The export is audited before the
   * first line leaves, with the filter used. Throws a field error for a bad query.
   */
  async *csv(actor: AdminActor, q: AuditQuery): AsyncGenerator<string> {
    if (!isAdmin(actor)) throw new AppError('admin.forbidden', 'forbidden');
    const { filter, errors } = await this.#filter(q);
    if (!filter) throw new AppError('admin.audit_query', 'bad_request', Object.values(errors)[0], errors);
    await this.#audit.record({
      actorId: actor.id,
      action: 'audit.exported',
      ip: actor.ip ?? null,
      details: { filtered: Object.keys(filter).join(',') || 'none' },
    });
    yield csvRow([
      'seq',
      'at',
      'actor_id',
      'actor',
      'action',
      'target_type',
      'target_id',
      'subject_id',
      'subject',
      'ip',
      'details',
      'hash',
    ]);
    const names = new Map<string, string>();
    const nameOf = async (id: string | null) => {
      if (!id) return null;
      if (!names.has(id)) {
        const u = await this.#accounts.byId(id);
        names.set(id, u ? `${u.displayName} <${u.email}>` : '');
      }
      return names.get(id) || null;
    };
    for await (const e of this.#audit.each(filter)) {
      yield csvRow([
        e.seq,
        e.at,
        e.actorId,
        await nameOf(e.actorId),
        e.action,
        e.targetType,
        e.targetId,
        e.subjectId,
        await nameOf(e.subjectId),
        e.ip,
        e.details,
        e.hash,
      ]);
    }
  }

  lastVerification() {
    return this.#audit.lastVerification();
  }

  /** Runs the hash-chain check now (as `npm run audit:verify` does) and records who asked. */
  async verifyNow(actor: AdminActor) {
    if (!isAdmin(actor)) throw new AppError('admin.forbidden', 'forbidden');
    const result = await this.#audit.verify();
    await this.#audit.record({
      actorId: actor.id,
      action: 'audit.verified',
      ip: actor.ip ?? null,
      details: { ok: result.ok, rows: result.rowsChecked },
    });
    return result;
  }
}
