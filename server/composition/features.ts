/**
 * Phase 2 of the composition root: the features, each built once and in dependency order, so a
 * feature's constructor can call anything it was given. Where two features need each other, one
 * direction was chosen: scheduling's core (the appointments table, slots, session times) comes
 * first, clinical and the directory read it, and scheduling's booking, built after them, calls down
 * into clinical's care and the directory's booking rule; clinical reports a confirmed safety check
 * up by event and rooms pushes it. The clinic's preferences come right after accounts, so every
 * reader (mail's branding, clinical's crisis resources, messaging's expectations) gets them built.
 */
import { createAccounts, isRole, type AccountsService } from '../accounts';
import {
  createAdmin,
  createClinicPreferences,
  emailBrandOf,
  type AdminServices,
  type ClinicPreferencesService,
} from '../admin';
import { createBilling, type Billing } from '../billing';
import { createCarePlanning, type CarePlanning } from '../care-planning';
import { createClinical, type ClinicalServices } from '../clinical';
import { ConnectivityService } from '../connectivity';
import { createDataRights, type DataRights } from '../data-rights';
import { createDirectory, EXPIRY_WARNING_DAYS, nextSlotFrom, type DirectoryService } from '../directory';
import {
  createGroups,
  Escalations,
  GroupMeetings,
  GroupsSubjectRecords,
  type GroupsService,
} from '../groups';
import { mailWordsOf } from '../i18n';
import { overrideSinkOf, shippedStringsOf } from './string-catalog';
import { createMail, type MailParts } from '../mail';
import { UNAVAILABLE_MEDIA } from '../media/unavailable-media';
import { HomeService } from '../home';
import { createMessaging, type MessagingFeature } from '../messaging';
import { createRooms, type RoomsFeature } from '../rooms';
import {
  createScheduling,
  createSchedulingCore,
  peopleFromAccounts,
  type PeopleDirectory,
  type Scheduling,
} from '../scheduling';
import {
  careRelationsOf,
  displayNameOf,
  openSessionsOf,
  type CareRelations,
  type DisplayNameOf,
} from './adapters';
import type { Infrastructure } from './infrastructure';

export interface Features {
  readonly accounts: AccountsService;
  readonly preferences: ClinicPreferencesService;
  readonly mail: MailParts;
  readonly clinical: ClinicalServices;
  /** Care planning: diagnoses, treatment plans, between-session exercises, safety plans (issue 18). */
  readonly carePlanning: CarePlanning;
  readonly directory: DirectoryService;
  readonly scheduling: Scheduling;
  /** Scheduling's view of people (the scheduling pages list therapists through it). */
  readonly schedulingPeople: PeopleDirectory;
  readonly messaging: MessagingFeature;
  readonly groups: GroupsService;
  readonly groupAlerts: Escalations;
  readonly groupMeetings: GroupMeetings;
  readonly connectivity: ConnectivityService;
  readonly rooms: RoomsFeature;
  readonly dataRights: DataRights;
  readonly admin: AdminServices;
  /** Fees and billing: services, fee programs, charges, invoices, payments, documents (issue 19). */
  readonly billing: Billing;
  /** What each role's home page at `/` shows (a read model over the features above). */
  readonly home: HomeService;
  /** Adapters the transports share with the features (named once, in adapters.ts). */
  readonly care: CareRelations;
  readonly displayName: DisplayNameOf;
}

export async function createFeatures(infra: Infrastructure): Promise<Features> {
  const { config, logger, clock, sequelize, audit, cipher, deferred } = infra;
  const { outbox } = infra.outbox;
  const site = { publicUrl: config.http.publicUrl, clinicName: config.clinic.name };
  // Every email's words, per recipient language, through the translator the pages use (so a
  // clinic's string overrides reach emails too).
  const words = mailWordsOf(infra.translator);

  const accounts = createAccounts({
    deferred,
    sequelize,
    audit,
    clock,
    cipher,
    outbox,
    publicUrl: site.publicUrl,
    defaultClinicName: site.clinicName,
    passwordMinLength: config.accounts.passwordMinLength,
    words,
  });
  const preferences = await createClinicPreferences({
    sequelize,
    accounts,
    audit,
    cipher,
    clock,
    defaults: {
      crisisResources: config.clinical.crisisResources,
      messagingExpectations: config.messaging.expectations,
      directoryVisibility: config.clinical.directoryVisibility,
      sessionIdleMs: config.accounts.sessionIdleMs,
      sessionAbsoluteMs: config.accounts.sessionAbsoluteMs,
      smtpUrl: config.mail.smtpUrl,
    },
    brandingDir: `${config.dataDir}/branding`,
  });
  // The languages the clinic offers and its default, read per use (the console changes them live).
  const clinicLanguages = {
    offered: () => preferences.current.languages,
    clinicDefault: () => preferences.defaultLanguage,
  };
  const mail = createMail(infra.outbox, config.mail, clock, logger, {
    ...(infra.mailTransport ? { transport: infra.mailTransport } : {}),
    brand: () => emailBrandOf(preferences, accounts, { ...site, defaultClinicName: site.clinicName }),
  });
  // The console's SMTP server (if set) replaces SMTP_URL now and whenever it changes.
  mail.useSmtp(preferences.smtpUrl);
  preferences.onSmtpChange((url) => mail.useSmtp(url));
  // An admin's change on one node reaches every node at once: the others read the row again.
  preferences.onChange(() => {
    infra.bus.publish('clinic-settings', {}).catch((error: unknown) => {
      logger.warn({ err: error }, 'could not tell the other nodes about a settings change');
    });
  });
  infra.bus.subscribe('clinic-settings', () => {
    // The clinic's name and self sign-up are cached by accounts (every page shows the name).
    accounts.clinic.forget();
    preferences.reload().catch((error: unknown) => {
      logger.error({ err: error }, 'could not reload the clinic settings another node changed');
    });
  });

  const schedulingCore = createSchedulingCore({ sequelize, audit, clock });
  const clinical = createClinical({
    sequelize,
    words,
    logger,
    audit,
    cipher,
    outbox,
    people: accounts,
    clock,
    settings: {
      clinicName: site.clinicName,
      publicUrl: site.publicUrl,
      get crisisResources() {
        return preferences.crisisResources;
      },
      crisisResourcesFor: (language: string) => preferences.crisisResourcesFor(language),
      breakGlassMinutes: config.clinical.breakGlassMinutes,
    },
    languages: clinicLanguages,
    // "Before each session" questionnaires read when the client's sessions are.
    sessions: schedulingCore.calendar,
  });
  const care = careRelationsOf(clinical.care);
  const carePlanning = createCarePlanning({
    sequelize,
    audit,
    cipher,
    clock,
    clinical,
    settings: { reviewDays: config.clinical.planReviewDays, reviewNoticeDays: 14 },
  });
  const directory = createDirectory(sequelize, {
    audit,
    people: accounts,
    outbox,
    clock,
    publicUrl: site.publicUrl,
    clinicName: site.clinicName,
    slots: nextSlotFrom(schedulingCore.schedule),
  });
  const schedulingPeople = peopleFromAccounts(accounts);
  const scheduling = createScheduling(schedulingCore, {
    sequelize,
    audit,
    outbox,
    cipher,
    clock,
    logger,
    people: schedulingPeople,
    // Clinical's care assignments: who a therapist may book for, and care begun by confirmed appointments.
    care: clinical.care,
    // The directory's one rule for who may be booked.
    mayTakeBookings: (therapistId, from) => directory.mayBeBooked(therapistId, from),
    words,
    settings: config.scheduling,
    publicUrl: site.publicUrl,
    clinicName: site.clinicName,
  });

  const messaging = createMessaging({
    sequelize,
    words,
    audit,
    cipher,
    fileKeys: { current: config.secrets.fieldKey, previous: config.secrets.previousFieldKeys },
    outbox,
    care: clinical.care,
    people: accounts,
    clock,
    logger,
    settings: {
      ...config.messaging,
      get expectations() {
        return preferences.messagingExpectations;
      },
      publicUrl: site.publicUrl,
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
    outbox,
    audit,
    settings: { onCallEmail: config.groups.onCallEmail, publicUrl: site.publicUrl },
    clock,
    words,
  });
  const groupMeetings = new GroupMeetings({ sequelize, groups, people: accounts, cipher, audit, clock });

  const connectivity = new ConnectivityService({
    probes: infra.probes,
    iceServersFor: infra.iceServersFor,
    clock,
    sessionPolicy: config.media.iceTransportPolicy,
  });
  const displayName = displayNameOf(accounts);
  const rooms = createRooms({
    sequelize,
    audit,
    cipher,
    clock,
    logger,
    times: config.rooms,
    e2ee: config.rooms.e2ee,
    mediaPort: infra.media ?? UNAVAILABLE_MEDIA,
    iceServers: infra.iceServersFor,
    iceTransportPolicy: config.media.iceTransportPolicy,
    people: { displayName },
    appointments: scheduling,
    meetings: groupMeetings,
    safetyChecks: clinical.intake,
    care,
    outbox,
    guestMail: {
      ...site,
      timeZoneOf: async (id) => (await accounts.byId(id))?.timeZone || 'UTC',
      words,
      languages: clinicLanguages,
    },
    // Several nodes: a room runs on the node it was placed on, and moves off a node that died.
    home:
      config.database.dialect === 'postgres'
        ? { locate: (roomId: string) => infra.placement.place(roomId) }
        : null,
  });
  // Clinical reports a confirmed safety check upward; rooms push it to the therapist in the room.
  clinical.intake.on('safetyCheckRecorded', ({ clientId, appointmentId }) => {
    rooms.safetyCheckConfirmed(clientId, appointmentId).catch((error: unknown) => {
      logger.warn({ err: error }, 'could not push a safety check to the room');
    });
  });

  // Billing reads appointments, care assignments, people, licences and the brand through ports;
  // scheduling tells it (after each commit) when an appointment was completed, missed or cancelled.
  const billing = createBilling({
    sequelize,
    audit,
    cipher,
    clock,
    logger,
    outbox,
    publicUrl: site.publicUrl,
    words,
    ports: {
      appointments: {
        appointment: (id) => scheduling.appointmentById(id),
        billableBetween: (from, to) => scheduling.settledStartingBetween(from, to),
        types: () => scheduling.schedule.listTypes(false),
      },
      care: {
        treatingTherapistIds: (clientId) => clinical.care.treatingTherapistIds(clientId),
        clientsOf: async (therapistId) => (await clinical.care.clientsOf(therapistId)).map((c) => c.clientId),
      },
      people: {
        byId: (id) => accounts.byId(id),
        clients: async () => (await accounts.list()).filter((u) => u.roles.includes('client')),
      },
      // The per-session check's "Are you at home?": 10 when yes, 02 when no or not answered.
      places: { atHomeFor: (clientId, appointmentId) => clinical.intake.atHomeFor(clientId, appointmentId) },
      // Care planning's diagnoses in force on the date of service (it checks and audits the read).
      diagnoses: {
        inForceOn: (reader, clientId, day, purpose) =>
          carePlanning.diagnoses.inForceOn(
            { id: reader.id, roles: reader.roles.filter(isRole), ip: reader.ip ?? null },
            clientId,
            day,
            purpose,
          ),
      },
      licences: {
        licenceOf: async (therapistId) => (await directory.profile(therapistId))?.licence ?? null,
      },
      brand: {
        brand: async () => ({
          clinicName: (await accounts.clinic.get()).clinicName ?? site.clinicName,
          primary: preferences.colours.primary,
          text: preferences.colours.text,
          logo: await preferences.readLogo(),
          timeZone: preferences.current.timeZone,
        }),
      },
    },
  });
  await billing.prepare();
  scheduling.events.on('settled', ({ appointmentId }) => billing.appointmentSettled(appointmentId));

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
      billing: billing.subjectRecords,
    },
    outbox,
    settings: {
      publicUrl: site.publicUrl,
      retentionYears: config.clinical.retentionYears,
      retentionPollMs: 3_600_000,
      clinicName: async () => (await accounts.clinic.get()).clinicName ?? site.clinicName,
    },
  });

  const { media } = infra;
  const shipped = shippedStringsOf();
  const admin = createAdmin({
    sequelize,
    accounts,
    audit,
    clock,
    preferences,
    clinical,
    directory,
    scheduling,
    outbox,
    mail,
    words,
    defaultClinicName: site.clinicName,
    publicUrl: site.publicUrl,
    ports: {
      dataDir: config.dataDir,
      lastBackup: async () => (await infra.backups.list())[0] ?? null,
      mediaHealthy: async () => (!infra.mediaWanted ? null : media ? media.healthy() : false),
      licenceWarningDays: EXPIRY_WARNING_DAYS,
      pendingErasureRequests: () => dataRights.erasure.pendingCount(),
    },
    strings: { shipped, sink: overrideSinkOf(infra.translator, shipped) },
    nodes: {
      nodes: () => infra.nodes.nodes(),
      thisNode: infra.nodes.id,
      heartbeatSeconds: config.cluster.heartbeatMs / 1000,
      deadAfterSeconds: config.cluster.deadAfterMs / 1000,
    },
  });
  // The clinic's own wording, on top of the shipped strings before the first page is served.
  await admin.strings.load();

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
    reviewsDue: (actor) => carePlanning.plans.reviewsDue(actor),
    exercisesOf: (client) => carePlanning.homework.list(client, client.id),
    directory,
    unreadMessages: (userId) => messaging.unreadCountFor(userId),
    groups,
    meetings: groupMeetings,
    roomTimes: config.rooms,
  });

  return {
    accounts,
    preferences,
    mail,
    clinical,
    carePlanning,
    directory,
    scheduling,
    schedulingPeople,
    messaging,
    groups,
    groupAlerts,
    groupMeetings,
    connectivity,
    rooms,
    dataRights,
    admin,
    billing,
    home,
    care,
    displayName,
  };
}
