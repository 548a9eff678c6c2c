/** One thing that happened, as the caller describes it. Never put health information in `details`. */
export interface AuditEntryInput {
  /** Who did it (user id), or null for the system / an anonymous visitor. */
  readonly actorId: string | null;
  /** Dotted verb, e.g. `auth.sign_in.failed`, `note.read`. */
  readonly action: string;
  readonly targetType?: string | null;
  readonly targetId?: string | null;
  /** The client whose record this concerns, so "everything about client X" is one query. */
  readonly subjectId?: string | null;
  /** Where from (client IP as express sees it). */
  readonly ip?: string | null;
  /** Small non-health facts (reason given, role granted, …). */
  readonly details?: Readonly<Record<string, string | number | boolean | null>>;
}

/** A stored row of the audit trail. */
export interface AuditEvent {
  readonly seq: number;
  readonly at: string;
  readonly actorId: string | null;
  readonly action: string;
  readonly targetType: string | null;
  readonly targetId: string | null;
  readonly subjectId: string | null;
  readonly ip: string | null;
  readonly details: string | null;
  readonly prevHash: string;
  readonly hash: string;
}

export interface AuditVerification {
  readonly ok: boolean;
  readonly rowsChecked: number;
  readonly lastSeq: number;
  /** First problem found, in words an operator can act on. */
  readonly problem: string | null;
  readonly badSeq: number | null;
  readonly verifiedAt: Date;
}

/** What the admin console's audit viewer filters by; every field optional. */
export interface AuditFilter {
  readonly actorId?: string;
  /** The client the row concerns. */
  readonly subjectId?: string;
  /** An exact action, or a prefix ending in `.` (e.g. `auth.`). */
  readonly action?: string;
  /** ISO instants; `from` inclusive, `to` exclusive. */
  readonly from?: string;
  readonly to?: string;
}
