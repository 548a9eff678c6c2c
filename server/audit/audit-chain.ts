import { createHash } from 'node:crypto';
import type { AuditEvent } from './audit.types';

/** The hash the first row links to. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * A row's hash covers its position, every field and the previous row's hash, so editing, deleting or
 * reordering any row breaks the link from that point on.
 */
export function hashAuditEvent(row: Omit<AuditEvent, 'hash'>): string {
  const canonical = JSON.stringify([
    row.seq,
    row.at,
    row.actorId,
    row.action,
    row.targetType,
    row.targetId,
    row.subjectId,
    row.ip,
    row.details,
    row.prevHash,
  ]);
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}
