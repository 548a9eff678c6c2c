/**
 * Phase 1 of the composition root: what every feature stands on and none of them owns — the
 * database (migrated, with a backup first), the audit trail, field encryption, the mail outbox, the
 * clock, off-request work and the media workers. Nothing here knows a feature.
 */
import type { Sequelize } from 'sequelize';
import { createAuditTrail, type AuditTrail } from '../audit';
import {
  NO_OTHER_NODES,
  NodeRegistry,
  PostgresBus,
  PresenceTally,
  RoomPlacement,
  type ClusterBus,
} from '../cluster';
import { BackupService, migrateWithBackup } from '../backup';
import type { Config } from '../config';
import type { ConnectivityDeps } from '../connectivity';
import { createDatabase, dialectOf } from '../db';
import { createOutbox, type MailTransport, type OutboxStore } from '../mail';
import { createTranslator, type Translator } from '../i18n';
import type * as MediaModule from '../media';
import type { MediaService } from '../media';
import { turnIceServers, type IceServer } from '../media/turn-credentials';
import { systemClock, type Clock } from '../shared/clock';
import { DeferredWork } from '../shared/deferred-work';
import { FieldCipher } from '../shared/field-encryption';
import type { Logger } from '../shared/logger';

export interface AppDeps {
  readonly config: Config;
  readonly logger: Logger;
  /** Tests pass a FakeClock. */
  readonly clock?: Clock;
  /** Tests pass a transport aimed at their loopback SMTP server, or a fake. */
  readonly mailTransport?: MailTransport;
  /** Apply pending migrations while building (default true). */
  readonly migrate?: boolean;
  /** Start the mediasoup workers for live sessions (default true; most tests leave them off). */
  readonly startMedia?: boolean;
}

export interface Infrastructure {
  readonly config: Config;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly sequelize: Sequelize;
  readonly backups: BackupService;
  readonly audit: AuditTrail;
  readonly cipher: FieldCipher;
  readonly outbox: OutboxStore;
  /** Work kept off the request path (password-reset requests); drained on close, before the database. */
  readonly deferred: DeferredWork;
  /** Tests' mail transport, if any (the sending side is built once branding exists). */
  readonly mailTransport: MailTransport | undefined;
  /** Every string people read, in each shipped language (pages now; emails and documents can share it). */
  readonly translator: Translator;
  /** Whether media was asked for at all (false for operator commands and most tests). */
  readonly mediaWanted: boolean;
  /** The mediasoup workers, or null when off or when they could not start (see /readyz). */
  readonly media: MediaService | null;
  /** The pre-call check's throw-away transports on the same workers, when media runs. */
  readonly probes: ConnectivityDeps['probes'];
  /** Events to and from the other nodes (LISTEN/NOTIFY on PostgreSQL; nobody to tell on SQLite). */
  readonly bus: ClusterBus;
  /** This process as a node among those sharing the database; joined by `Haven.joinCluster()`. */
  readonly nodes: NodeRegistry;
  /** Who has a socket open on this node (realtime counts; the heartbeat writes it). */
  readonly presence: PresenceTally;
  /** Which node each room lives on (placed on first entry; only consulted with several nodes). */
  readonly placement: RoomPlacement;
  /** Short-lived TURN credentials for one person (the room and the pre-call check use the same). */
  iceServersFor(userId: string): IceServer[];
}

export async function createInfrastructure(deps: AppDeps): Promise<Infrastructure> {
  const { config, logger } = deps;
  const clock = deps.clock ?? systemClock;
  const sequelize = createDatabase(config.database, logger);
  const backups = new BackupService({
    database: config.database,
    backup: config.backup,
    dataDir: config.dataDir,
    logger,
  });
  // Pending migrations on an existing database are preceded by a backup (and undone on failure).
  if (deps.migrate !== false) {
    await migrateWithBackup({
      sequelize,
      database: config.database,
      backups,
      logger: logger.child({ component: 'db' }),
    });
  }
  const mediaWanted = deps.startMedia !== false;
  const { media, probes } = mediaWanted ? await startMedia(config, logger) : { media: null, probes: null };
  const cipher = new FieldCipher(config.secrets.fieldKey, config.secrets.previousFieldKeys);
  const bus =
    config.database.dialect === 'postgres'
      ? await PostgresBus.create(config.database.url, cipher, logger.child({ component: 'cluster' }))
      : NO_OTHER_NODES;
  const presence = new PresenceTally();
  const nodes = new NodeRegistry({
    sequelize,
    dialect: dialectOf(sequelize),
    databaseName: config.database.dialect === 'sqlite' ? config.database.storage : 'PostgreSQL',
    cluster: config.cluster,
    self: {
      id: config.cluster.nodeId,
      publicUrl: config.http.publicUrl,
      mediaAddress: media ? config.media.announcedAddress : null,
      mediaFirstPort: media ? config.media.basePort : null,
      mediaPorts: media ? media.pool.size : 0,
    },
    load: async () => {
      if (!media) return { liveRooms: 0, consumers: 0, workerCpu: 0 };
      const load = await media.load();
      return { liveRooms: load.rooms, consumers: load.consumers, workerCpu: load.workerCpu };
    },
    presence: () => presence.snapshot(),
    logger: logger.child({ component: 'cluster' }),
  });
  return {
    config,
    logger,
    clock,
    sequelize,
    bus,
    nodes,
    presence,
    placement: new RoomPlacement(sequelize, nodes),
    backups,
    audit: createAuditTrail(sequelize, clock),
    cipher,
    outbox: createOutbox(sequelize, config.mail, clock),
    deferred: new DeferredWork({
      onError: (error) => logger.error({ err: error }, 'deferred work failed'),
    }),
    mailTransport: deps.mailTransport,
    translator: createTranslator(),
    mediaWanted,
    media,
    probes,
    iceServersFor: (userId) => turnIceServers(config, userId, clock.now()),
  };
}

/**
 * Media workers are separate processes; if they cannot start, the rest of the clinic still runs
 * and /readyz names media as failing. mediasoup is loaded only here: the operator commands
 * (startMedia: false) neither start workers nor pay for loading it.
 */
async function startMedia(
  config: Config,
  logger: Logger,
): Promise<{ media: MediaService | null; probes: ConnectivityDeps['probes'] }> {
  // require, not import(): the same line must load under tsx (tests) and as compiled CommonJS.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { MediaService: Media, ProbeTransports } = require('../media') as typeof MediaModule;
  const media = await Media.create(config.media, logger).catch((error: unknown) => {
    logger.error({ err: error }, 'media workers could not start; live sessions are unavailable');
    return null;
  });
  return { media, probes: media ? new ProbeTransports(media.pool) : null };
}
