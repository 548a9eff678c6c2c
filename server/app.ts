import type { Server as HttpServer } from 'node:http';
import type { Express } from 'express';
import type { Sequelize } from 'sequelize';
import { createAccounts, sessionKeyOf, type AccountsService, type Role } from './accounts';
import { createAdmin, type AdminServices } from './admin';
import { createAuditTrail, type AuditTrail } from './audit';
import { createCarePlanning, type CarePlanning } from './care-planning';
import { createClinical, type ClinicalServices } from './clinical';
import { createDirectory, LicenceWatch, nextSlotFrom, PhotoStore, type DirectoryService } from './directory';
import type { Config } from './config';
import { BackupScheduler, BackupService, migrateWithBackup } from './backup';
import { EXPIRY_WARNING_DAYS } from './directory';
import { createDatabase, pingDatabase } from './db';
import { createHttpApp, sessionHandshakeOf, type OpenSession, type ReadinessCheck } from './http';
import { createMail, type MailParts, type MailTransport } from './mail';
import type * as MediaModule from './media';
import type { MediaService } from './media';
import { turnIceServers } from './media/turn-credentials';
import { UNAVAILABLE_MEDIA } from './media/unavailable-media';
import {
  actorFromHandshake,
  createRealtime,
  ipFromHandshake,
  type EngineMiddleware,
  type Realtime,
} from './realtime';
import { createGroups, Escalations, GroupMeetings, GroupsSubjectRecords, type GroupsService } from './groups';
import { ConnectivityService, type ConnectivityDeps } from './connectivity';
import { createDataRights, type DataRights } from './data-rights';
import { createMessaging, type MessagingFeature } from './messaging';
import { HomeService } from './home';
import { createRooms, type RoomsFeature } from './rooms';
import { createScheduling, peopleFromAccounts, type Scheduling } from './scheduling';
import { DeferredWork } from './shared/deferred-work';
import { systemClock, type Clock } from './shared/clock';
import { FieldCipher } from './shared/field-encryption';
import type { Logger } from './shared/logger';

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
  /** The mediasoup workers, or null when they are off or could not start (see /readyz). */
  readonly media: MediaService | null;
  /** The pre-call check's network probes. */
  readonly connectivity: ConnectivityService;
  /** Attaches the socket.io server (live sessions) to the HTTP server `main.ts` listens with. */
  attachRealtime(server: HttpServer): Realtime;
  /** Starts background work (the mail sender). */
  startBackground(): void;
  /** Stops background work and closes the database; idempotent. */
  close(): Promise<void>;
}

/** Ad-hoc sessions open for a client now, with who opened them (for their appointments and home). */
async function openSessionsOf(
  rooms: RoomsFeature,
  displayName: (id: string) => Promise<string | null>,
  client: { id: string; displayName: string; roles: readonly Role[] },
): Promise<OpenSession[]> {
  const open = await rooms.access.openAdhocSessionsFor(client);
  return Promise.all(
    open.map(async (r) => ({
      roomId: r.id,
      withName: (await displayName(r.hostId)) ?? 'Your therapist',
      openedAt: r.createdAt,
    })),
  );
}

/** The composition root: the one place that wires database, services, mail and HTTP together. */
export async function createApp(deps: AppDeps): Promise<Haven> {
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
  const backupScheduler = new BackupScheduler(backups, logger.child({ component: 'backup' }));

  const audit = createAuditTrail(sequelize, clock);
  // The admin console (built below, once the features exist) owns the clinic's branding, texts and
  // SMTP server; the getters here read its current choices, or the config until it is built.
  let admin: AdminServices | null = null;
  const mail = createMail(sequelize, config.mail, clock, logger, {
    ...(deps.mailTransport ? { transport: deps.mailTransport } : {}),
    brand: async () => (admin ? admin.emailBrand() : null),
  });
  const cipher = new FieldCipher(config.secrets.fieldKey, config.secrets.previousFieldKeys);
  // Work kept off the request path (password-reset requests); drained on close, before the database.
  const deferred = new DeferredWork({
    onError: (error) => logger.error({ err: error }, 'deferred work failed'),
  });
  const accounts = createAccounts({
    deferred,
    sequelize,
    audit,
    clock,
    cipher,
    outbox: mail.outbox,
    publicUrl: config.http.publicUrl,
    defaultClinicName: config.clinic.name,
    passwordMinLength: config.accounts.passwordMinLength,
  });

  const clinical = createClinical({
    sequelize,
    logger,
    audit,
    cipher,
    outbox: mail.outbox,
    people: accounts,
    clock,
    settings: {
      clinicName: config.clinic.name,
      publicUrl: config.http.publicUrl,
      get crisisResources() {
        return admin?.preferences.crisisResources ?? config.clinical.crisisResources;
      },
      breakGlassMinutes: config.clinical.breakGlassMinutes,
    },
    // Scheduling is built below (it reads care assignments from clinical); "before each session"
    // questionnaires ask it when the client's sessions are, which only happens after startup.
    sessions: {
      nextSessionStart: (clientId, after) => scheduling.nextSessionStart(clientId, after),
      previousSessionStart: (clientId, before) => scheduling.previousSessionStart(clientId, before),
    },
  });

  const carePlanning = createCarePlanning({
    sequelize,
    audit,
    cipher,
    clock,
    clinical,
    settings: { reviewDays: config.clinical.planReviewDays, reviewNoticeDays: 14 },
  });

  const schedulingPeople = peopleFromAccounts(accounts);
  const scheduling = createScheduling({
    sequelize,
    audit,
    outbox: mail.outbox,
    cipher,
    clock,
    logger,
    people: schedulingPeople,
    // Clinical's care assignments: who a therapist may book for, and care begun by confirmed appointments.
    care: clinical.care,
    // The directory is built below (it reads scheduling's open slots); by the time anyone books, it exists.
    mayTakeBookings: (therapistId, from) => directory.mayBeBooked(therapistId, from),
    settings: config.scheduling,
    publicUrl: config.http.publicUrl,
    clinicName: config.clinic.name,
  });

  const messaging = createMessaging({
    sequelize,
    audit,
    cipher,
    fileKeys: { current: config.secrets.fieldKey, previous: config.secrets.previousFieldKeys },
    outbox: mail.outbox,
    care: clinical.care,
    people: accounts,
    clock,
    logger,
    settings: {
      ...config.messaging,
      get expectations() {
        return admin?.preferences.messagingExpectations ?? config.messaging.expectations;
      },
      publicUrl: config.http.publicUrl,
      dataDir: config.dataDir,
    },
  });

  const groups = createGroups({
    sequelize,
    audit,
    people: accounts,
    clock,
    settings: { facilitatorsSeeNames: config.groups.facilitatorsSeeNames },
  });
  const groupAlerts = new Escalations({
    sequelize,
    groups,
    people: accounts,
    cipher,
    outbox: mail.outbox,
    audit,
    settings: { onCallEmail: config.groups.onCallEmail, publicUrl: config.http.publicUrl },
    clock,
  });
  const groupMeetings = new GroupMeetings({ sequelize, groups, people: accounts, cipher, audit, clock });

  // Media workers are separate processes; if they cannot start, the rest of the clinic still runs
  // and /readyz names media as failing. mediasoup is loaded only here: the operator commands
  // (startMedia: false) neither start workers nor pay for loading it.
  let media: MediaService | null = null;
  let probes: ConnectivityDeps['probes'] = null;
  if (deps.startMedia !== false) {
    // require, not import(): the same line must load under tsx (tests) and as compiled CommonJS.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { MediaService: Media, ProbeTransports } = require('./media') as typeof MediaModule;
    media = await Media.create(config.media, logger).catch((error: unknown) => {
      logger.error({ err: error }, 'media workers could not start; live sessions are unavailable');
      return null;
    });
    // The pre-call check's network test: throw-away transports on the same workers and ports.
    probes = media ? new ProbeTransports(media.pool) : null;
  }
  const connectivity = new ConnectivityService({
    probes,
    iceServersFor: (userId) => turnIceServers(config, userId, clock.now()),
    clock,
    sessionPolicy: config.media.iceTransportPolicy,
  });
  const displayName = async (id: string): Promise<string | null> =>
    (await accounts.byId(id))?.displayName ?? null;
  const rooms = createRooms({
    sequelize,
    audit,
    cipher,
    clock,
    logger,
    times: config.rooms,
    mediaPort: media ?? UNAVAILABLE_MEDIA,
    iceServers: (userId) => turnIceServers(config, userId, clock.now()),
    iceTransportPolicy: config.media.iceTransportPolicy,
    people: { displayName },
    appointments: scheduling,
    meetings: groupMeetings,
    safetyChecks: clinical.intake,
    care: {
      isTreating: async (therapistId, clientId) =>
        (await clinical.care.treatingTherapistIds(clientId)).includes(therapistId),
      clientsOf: async (therapistId) => (await clinical.care.clientsOf(therapistId)).map((c) => c.clientId),
    },
  });
  // Clinical reports a confirmed safety check upward; rooms push it to the therapist in the room.
  clinical.intake.on('safetyCheckRecorded', ({ clientId, appointmentId }) => {
    rooms.safetyCheckConfirmed(clientId, appointmentId).catch((error: unknown) => {
      logger.warn({ err: error }, 'could not push a safety check to the room');
    });
  });
  const readiness: ReadinessCheck[] = [{ name: 'database', check: () => pingDatabase(sequelize) }];
  if (deps.startMedia !== false) {
    // Degraded while a dead worker is being replaced; failing only when no worker is alive.
    readiness.push({
      name: 'media',
      check: async () => {
        const state = media ? await media.readiness() : 'failing';
        return state === 'degraded' ? state : state === 'ok';
      },
      details: () => media?.stats() ?? { workers: 0, aliveWorkers: 0 },
    });
  }

  const directory = createDirectory(sequelize, {
    audit,
    people: accounts,
    outbox: mail.outbox,
    clock,
    publicUrl: config.http.publicUrl,
    clinicName: config.clinic.name,
    slots: nextSlotFrom(scheduling.schedule),
  });

  const dataRights = createDataRights({
    sequelize,
    audit,
    cipher,
    clock,
    logger,
    ports: {
      people: accounts,
      accountErasure: accounts.erasure,
      clinical: clinical.subjectRecords,
      carePlanning: carePlanning.subjectRecords,
      messaging: messaging.subjectRecords,
      rooms: rooms.subjectRecords,
      groups: new GroupsSubjectRecords(sequelize),
      scheduling: scheduling.subjectRecords,
    },
    outbox: mail.outbox,
    settings: {
      publicUrl: config.http.publicUrl,
      retentionYears: config.clinical.retentionYears,
      retentionPollMs: 3_600_000,
      clinicName: async () => (await accounts.clinic.get()).clinicName ?? config.clinic.name,
    },
  });

  const licenceWatch = new LicenceWatch(directory, logger.child({ component: 'directory' }));

  const adminServices = await createAdmin({
    sequelize,
    accounts,
    audit,
    cipher,
    clock,
    clinical,
    directory,
    scheduling,
    outbox: mail.outbox,
    mail,
    defaults: {
      crisisResources: config.clinical.crisisResources,
      messagingExpectations: config.messaging.expectations,
      directoryVisibility: config.clinical.directoryVisibility,
      sessionIdleMs: config.accounts.sessionIdleMs,
      sessionAbsoluteMs: config.accounts.sessionAbsoluteMs,
      smtpUrl: config.mail.smtpUrl,
    },
    defaultClinicName: config.clinic.name,
    publicUrl: config.http.publicUrl,
    brandingDir: `${config.dataDir}/branding`,
    ports: {
      dataDir: config.dataDir,
      lastBackup: async () => (await backups.list())[0] ?? null,
      mediaHealthy: async () => (deps.startMedia === false ? null : media ? media.healthy() : false),
      licenceWarningDays: EXPIRY_WARNING_DAYS,
      pendingErasureRequests: () => dataRights.erasure.pendingCount(),
    },
  });
  admin = adminServices;
  // The console's SMTP server (if set) replaces SMTP_URL now and whenever it changes.
  mail.useSmtp(adminServices.preferences.smtpUrl);
  adminServices.preferences.onSmtpChange((url) => mail.useSmtp(url));

  const home = new HomeService({
    clock,
    joinWindowMinutes: config.scheduling.joinWindowMinutes,
    appointments: { upcomingFor: (person) => scheduling.booking.listFor(person, 'upcoming') },
    schedule: scheduling.schedule,
    names: displayName,
    rooms: {
      openSessionsFor: (client) => openSessionsOf(rooms, displayName, client),
      waitingFor: (hostId) => rooms.waitingFor(hostId),
    },
    clinical,
    directory,
    unreadMessages: (userId) => messaging.unreadCountFor(userId),
    groups,
    meetings: groupMeetings,
    roomTimes: config.rooms,
  });

  const http = createHttpApp({
    http: config.http,
    clinicName: config.clinic.name,
    production: config.env === 'production',
    logger,
    readiness,
    rooms: { rooms, displayName },
    check: { connectivity },
    home: { home },
    scheduling: {
      scheduling,
      clock,
      person: (id) => schedulingPeople.byId(id),
      therapists: () => schedulingPeople.withRole('therapist'),
      clientsOf: async (therapistId) => (await clinical.care.clientsOf(therapistId)).map((c) => c.clientId),
      openSessions: (client) => openSessionsOf(rooms, displayName, client),
    },
    messaging: { messaging, attachmentMaxBytes: config.messaging.attachmentMaxBytes },
    groups: {
      groups,
      alerts: groupAlerts,
      meetings: groupMeetings,
      rooms,
      roomTimes: config.rooms,
      people: () => accounts.list(),
    },
    clinical: { clinical, directory, people: accounts },
    dataRights: { dataRights, people: accounts, retentionYears: config.clinical.retentionYears },
    directory: {
      directory,
      get visibility() {
        return adminServices.preferences.directoryVisibility;
      },
      photos: new PhotoStore(`${config.dataDir}/photos`),
    },
    admin: { admin: adminServices, clinical },
    sessionTimeouts: {
      get idleMs() {
        return adminServices.preferences.sessionIdleMs;
      },
      get absoluteMs() {
        return adminServices.preferences.sessionAbsoluteMs;
      },
    },
    accounts,
    accountsConfig: config.accounts,
    sessionSecret: config.secrets.sessionSecret,
    clock,
  });

  let realtime: Realtime | null = null;
  let closing: Promise<void> | null = null;
  return {
    config,
    http,
    sequelize,
    audit,
    mail,
    accounts,
    cipher,
    clinical,
    carePlanning,
    directory,
    scheduling,
    rooms,
    messaging,
    groups,
    groupAlerts,
    admin: adminServices,
    groupMeetings,
    dataRights,
    media,
    connectivity,
    attachRealtime(server) {
      realtime ??= createRealtime({
        server,
        allowedOrigin: config.http.publicUrl,
        // express-session and passport only touch the node request/response, as socket.io documents.
        sessionMiddlewares: sessionHandshakeOf(http) as unknown as EngineMiddleware[],
        actorOf: actorFromHandshake,
        ipOf: (req) => ipFromHandshake(req, config.http.trustProxy),
        sessionKeyOf: (req) => {
          const sid = (req as { sessionID?: string }).sessionID;
          return sid ? sessionKeyOf(sid) : null;
        },
        rooms,
        messaging,
        logger,
      });
      // Signing out (here, everywhere, or by a password change) also ends live-session sockets.
      const live = realtime;
      accounts.sessions.events.on('signedOut', ({ userId, sessionId }) =>
        live.disconnectUser(userId, sessionId),
      );
      return realtime;
    },
    startBackground() {
      mail.sender?.start();
      backupScheduler.start();
      licenceWatch.start();
      scheduling.reminders.start();
      dataRights.retention.start();
    },
    close() {
      closing ??= (async () => {
        await realtime?.close();
        rooms.close();
        connectivity.close();
        media?.close();
        await scheduling.reminders.stop();
        await dataRights.retention.stop();
        await mail.sender?.stop();
        await backupScheduler.stop();
        await licenceWatch.stop();
        await deferred.idle();
        await sequelize.close();
      })();
      return closing;
    },
  };
}
