import type { AuditEvent, AuditFilter } from '../../server/audit';
import type { Haven } from '../../server/app';

/**
 * What a test asks of the audit trail: the trail's own filter (actor, subject, exact action or
 * `prefix.`, time range) and, since the admin viewer has no such field, the record it touched.
 */
export interface AuditQuery extends AuditFilter {
  readonly targetId?: string;
}

/**
 * The audit rows matching `filter`, oldest first (the order things happened), read through the
 * audit trail's search rather than raw SQL, so a test reads the trail the way the admin console
 * does. Raw SQL on `audit_events` is kept only where a test checks the append-only triggers.
 */
export async function auditEvents(
  haven: Pick<Haven, 'audit'>,
  filter: AuditQuery = {},
): Promise<AuditEvent[]> {
  const { targetId, ...search } = filter;
  const newestFirst: AuditEvent[] = [];
  for await (const event of haven.audit.each(search)) {
    if (targetId === undefined || event.targetId === targetId) newestFirst.push(event);
  }
  return newestFirst.reverse();
}

/** Just the actions of the matching rows, oldest first: the usual "what was recorded" check. */
export async function auditActions(haven: Pick<Haven, 'audit'>, filter: AuditQuery = {}): Promise<string[]> {
  return (await auditEvents(haven, filter)).map((event) => event.action);
}
