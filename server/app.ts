/**
 * The composition root, in four phases (Ghost's boot.js is the model): infrastructure (database,
 * audit, outbox, media workers) → features (each built once, in dependency order) → transports
 * (HTTP now, the socket server when main.ts attaches it) → background jobs (started separately).
 * Each phase returns everything it owns; closing runs the other way round.
 */
import type { Server as HttpServer } from 'node:http';
import type { Express } from 'express';
import type { Sequelize } from 'sequelize';
import type { AccountsService } from './accounts';
import type { AdminServices } from './admin';
import type { AuditTrail } from './audit';
import type { Billing } from './billing';
import type { CarePlanning } from './care-planning';
import type { ClinicalServices } from './clinical';
import type { NodeRegistry, RoomPlacement } from './cluster';
import { createBackgroundJobs } from './composition/background-jobs';
import { createFeatures } from './composition/features';
import { createInfrastructure, type AppDeps } from './composition/infrastructure';
import { createTransports } from './composition/transports';
import type { Config } from './config';
import type { ConnectivityService } from './connectivity';
import type { DataRights } from './data-rights';
import type { DirectoryService } from './directory';
import type { Escalations, GroupMeetings, GroupsService } from './groups';
import type { MailParts } from './mail';
import type { MediaService } from './media';
import type { Translator } from './i18n';
import type { MessagingFeature } from './messaging';
import type { Realtime } from './realtime';
import type { RoomsFeature } from './rooms';
import type { Scheduling } from './scheduling';
import type { FieldCipher } from './shared/field-encryption';

export type { AppDeps } from './composition/infrastructure';

/** Haven, wired but not listening. */
export interface Haven {
  readonly config: Config;
  readonly http: Express;
  readonly sequelize: Sequelize;
  readonly audit: AuditTrail;
  readonly mail: MailParts;
  readonly accounts: AccountsService;
  readonly cipher: FieldCipher;
  readonly clinical: ClinicalServices;
  /** Care planning: diagnoses, treatment plans, between-session exercises, safety plans (issue 18). */
  readonly carePlanning: CarePlanning;
  readonly directory: DirectoryService;
  readonly scheduling: Scheduling;
  readonly rooms: RoomsFeature;
  /** Secure messaging between clients and their therapists (and the front desk). */
  readonly messaging: MessagingFeature;
  /** Peer-support groups: pseudonymous membership, guidelines, facilitators. */
  readonly groups: GroupsService;
  /** Facilitators' alerts to the on-call clinician. */
  readonly groupAlerts: Escalations;
  /** Group meetings: schedule, seats, removals, reports (the live room is rooms'). */
  readonly groupMeetings: GroupMeetings;
  /** Clients' record export, erasure requests and the retention purge (issue 9). */
  readonly dataRights: DataRights;
  /** The admin console: clinic preferences and branding, people, audit viewer, outbox, overview. */
  readonly admin: AdminServices;
  /** Fees and billing: services, fee programs, charges, invoices, payments, documents (issue 19). */
  readonly billing: Billing;
  /** The mediasoup workers, or null when they are off or could not start (see /readyz). */
  readonly media: MediaService | null;
  /** Every string people read, per language (pages, emails), with the clinic's overrides applied. */
  readonly translator: Translator;
  /** The pre-call check's network probes. */
  readonly connectivity: ConnectivityService;
  /** This process among the nodes sharing the database (issue 22). */
  readonly nodes: NodeRegistry;
  /** Which node each room lives on (consulted with several nodes on PostgreSQL). */
  readonly placement: RoomPlacement;
  /**
   * Registers this process as a node and starts its heartbeat, before it serves anyone. Throws
   * NodeRefusedError when it may not: another live Haven on the same SQLite file, or a live node
   * with the same NODE_ID on PostgreSQL. Operator commands never join.
   */
  joinCluster(): Promise<void>;
  /** Attaches the socket.io server (live sessions) to the HTTP server `main.ts` listens with. */
  attachRealtime(server: HttpServer): Realtime;
  /**
   * Starts background work (mail sender, backups, licence check, reminders, retention, billing): at
   * once on SQLite; with several nodes on PostgreSQL, on whichever node holds the job leadership.
   */
  startBackground(): void;
  /** Whether this node runs the background jobs now. */
  readonly runsBackgroundJobs: boolean;
  /** Stops background work and closes the database; idempotent. */
  close(): Promise<void>;
}

/** The composition root: the one place that wires database, services, mail and HTTP together. */
export async function createApp(deps: AppDeps): Promise<Haven> {
  const infra = await createInfrastructure(deps);
  const features = await createFeatures(infra);
  const transports = createTransports(infra, features);
  const jobs = createBackgroundJobs(infra, features);

  let closing: Promise<void> | null = null;
  return {
    config: infra.config,
    sequelize: infra.sequelize,
    audit: infra.audit,
    cipher: infra.cipher,
    media: infra.media,
    translator: infra.translator,
    mail: features.mail,
    accounts: features.accounts,
    clinical: features.clinical,
    carePlanning: features.carePlanning,
    directory: features.directory,
    scheduling: features.scheduling,
    rooms: features.rooms,
    messaging: features.messaging,
    groups: features.groups,
    groupAlerts: features.groupAlerts,
    groupMeetings: features.groupMeetings,
    dataRights: features.dataRights,
    admin: features.admin,
    billing: features.billing,
    connectivity: features.connectivity,
    nodes: infra.nodes,
    placement: infra.placement,
    joinCluster: () => infra.nodes.join(),
    http: transports.http,
    attachRealtime: (server) => transports.attachRealtime(server),
    startBackground: () => jobs.start(),
    get runsBackgroundJobs() {
      return jobs.leading;
    },
    // The other way round: no new requests, then no rooms or probes, jobs stopped, pending
    // off-request work drained, and the database last.
    close() {
      closing ??= (async () => {
        await transports.close();
        features.rooms.close();
        features.connectivity.close();
        infra.media?.close();
        await jobs.stop();
        await infra.deferred.idle();
        // A clean stop leaves the registry at once (a crash is noticed by the missing heartbeat).
        await infra.nodes.leave().catch((error: unknown) => {
          infra.logger.warn({ err: error }, 'could not remove this node from the registry');
        });
        await infra.bus.close();
        await infra.sequelize.close();
      })();
      return closing;
    },
  };
}
