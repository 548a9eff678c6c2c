import { statfs } from 'node:fs/promises';
import { DateTime } from 'luxon';
import type { AccountsService } from '../accounts';
import type { AuditTrail } from '../audit';
import type { CrisisService } from '../clinical';
import type { DirectoryService } from '../directory';
import type { Outbox, OutboxStatus } from '../mail';
import type { Scheduling } from '../scheduling';
import type { Clock } from '../shared/clock';
import { AppError } from '../shared/errors';
import { isAdmin, type AdminActor } from './admin.policy';

/** How the overview asks about things outside the features (wired in app.ts). */
export interface OverviewPorts {
  readonly dataDir: string;
  /** Newest backup file, or null when none exists yet. */
  readonly lastBackup: () => Promise<{ takenAt: Date; bytes: number; reason: string } | null>;
  /** null: media workers are not started in this process (tools, most tests). */
  readonly mediaHealthy: () => Promise<boolean | null>;
  /** False while mail has nowhere to go (it waits in the outbox). */
  readonly mailConfigured: () => boolean;
  /** Days ahead in which an expiring licence is flagged. */
  readonly licenceWarningDays: number;
  /** Erasure requests waiting for an admin's decision (data rights). */
  readonly pendingErasureRequests: () => Promise<number>;
}

export interface Overview {
  readonly timeZone: string;
  readonly today: string;
  readonly sessions: ReadonlyArray<{ start: Date; end: Date; therapistName: string; format: string }>;
  readonly openCrisisAlerts: number;
  readonly pendingErasureRequests: number;
  readonly licences: ReadonlyArray<{ userId: string; name: string; expiresOn: string; daysLeft: number }>;
  /** Therapists whose licence is on file and in date but not verified: new clients cannot book them yet. */
  readonly licencesToVerify: ReadonlyArray<{
    userId: string;
    name: string;
    type: string;
    jurisdiction: string;
    expiresOn: string;
  }>;
  readonly mail: { readonly counts: Record<OutboxStatus, number>; readonly configured: boolean };
  readonly disk: {
    readonly freeBytes: number;
    readonly totalBytes: number;
    readonly usedPercent: number;
  } | null;
  readonly lastBackup: { takenAt: Date; bytes: number; reason: string } | null;
  readonly backupStale: boolean;
  readonly media: boolean | null;
  readonly audit: { ok: boolean; at: Date; problem: string | null } | null;
}

/**
 * The admin's first page: what needs attention today. Counts and names of staff only; nothing about
 * any client's health (the crisis alerts are a number with a link to the clinical dashboard).
 */
export interface OverviewDeps {
  readonly accounts: AccountsService;
  readonly audit: AuditTrail;
  readonly crisis: CrisisService;
  readonly directory: DirectoryService;
  readonly outbox: Outbox;
  readonly scheduling: Scheduling;
  readonly clock: Clock;
  /** The clinic's time zone: "today" is today there. */
  readonly timeZone: () => string;
  readonly ports: OverviewPorts;
}

const BACKUP_STALE_MS = 36 * 3_600_000;

export class OverviewService {
  readonly #d: OverviewDeps;

  constructor(deps: OverviewDeps) {
    this.#d = deps;
  }

  async get(actor: AdminActor): Promise<Overview> {
    if (!isAdmin(actor)) throw new AppError('admin.forbidden', 'forbidden');
    const { clock, ports } = this.#d;
    const now = clock.now();
    const zone = this.#d.timeZone();
    const local = DateTime.fromJSDate(now, { zone });
    const dayStart = local.startOf('day');
    const dayEnd = dayStart.plus({ days: 1 });
    const [appointments, openCrisisAlerts, profiles, counts, disk, lastBackup, media, audit, erasures] =
      await Promise.all([
        // (from, to]: start one millisecond early so a session at midnight counts.
        this.#d.scheduling.sessionsStartingBetween(
          new Date(dayStart.toMillis() - 1),
          new Date(dayEnd.toMillis() - 1),
        ),
        this.#d.crisis.openCount(),
        this.#d.directory.all(),
        this.#d.outbox.counts(),
        diskOf(ports.dataDir),
        ports.lastBackup(),
        ports.mediaHealthy().catch(() => false),
        this.#d.audit.lastVerification(),
        ports.pendingErasureRequests(),
      ]);
    // All at once, so the accounts' batch loader reads every therapist in one statement.
    const therapistIds = [...new Set(appointments.map((a) => a.therapistId))];
    const names = new Map<string, string>(
      await Promise.all(
        therapistIds.map(
          async (id) => [id, (await this.#d.accounts.byId(id))?.displayName ?? 'Unknown'] as const,
        ),
      ),
    );
    const licences = profiles
      .filter((p) => p.kind === 'therapist' && p.licence.expiresOn && p.licenceStatus.daysLeft !== null)
      .filter((p) => p.licenceStatus.daysLeft! < ports.licenceWarningDays)
      .map((p) => ({
        userId: p.userId,
        name: p.displayName,
        expiresOn: p.licence.expiresOn!,
        daysLeft: p.licenceStatus.daysLeft!,
      }))
      .sort((a, b) => a.daysLeft - b.daysLeft);
    const licencesToVerify = profiles
      .filter((p) => p.kind === 'therapist' && p.licenceStatus.state === 'unverified')
      .map((p) => ({
        userId: p.userId,
        name: p.displayName,
        type: p.licence.type ?? '',
        jurisdiction: p.licence.jurisdiction ?? '',
        expiresOn: p.licence.expiresOn ?? '',
      }));
    return {
      timeZone: zone,
      today: dayStart.toFormat('cccc d LLLL yyyy'),
      sessions: appointments.map((a) => ({
        start: a.start,
        end: a.end,
        therapistName: names.get(a.therapistId) ?? 'Unknown',
        format: a.format,
      })),
      openCrisisAlerts,
      pendingErasureRequests: erasures,
      licences,
      licencesToVerify,
      mail: { counts, configured: ports.mailConfigured() },
      disk,
      lastBackup,
      backupStale: !lastBackup || now.getTime() - lastBackup.takenAt.getTime() > BACKUP_STALE_MS,
      media,
      audit,
    };
  }
}

/** Free and total space of the file system holding DATA_DIR (database, uploads, backups). */
async function diskOf(dir: string): Promise<Overview['disk']> {
  try {
    const s = await statfs(dir);
    const total = s.blocks * s.bsize;
    const free = s.bavail * s.bsize;
    return {
      freeBytes: free,
      totalBytes: total,
      usedPercent: total ? Math.round(((total - free) / total) * 100) : 0,
    };
  } catch {
    return null;
  }
}
