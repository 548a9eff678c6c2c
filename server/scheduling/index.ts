import type { Sequelize } from 'sequelize';
import type { User } from '../accounts';
import type { AuditTrail } from '../audit';
import type { MailWords, Outbox } from '../mail';
import type { Clock } from '../shared/clock';
import type { FieldCipher } from '../shared/field-encryption';
import type { Logger } from '../shared/logger';
import { BookingService, type BookingDeps } from './booking.service';
import { CalendarFeedService } from './calendar-feed.service';
import { ReminderJob } from './reminder-job';
import { ScheduleService } from './schedule.service';
import { SchedulingMailer } from './scheduling-mail';
import { defineSchedulingModels, type SchedulingModels } from './scheduling.model';
import { SchedulingRepository } from './scheduling.repository';
import { SessionCalendar } from './session-calendar';
import { SchedulingEvents } from './scheduling-events';
import { SchedulingSubjectRecords } from './subject-records';
import { SessionEncryptionChoice, type E2eeChoiceGuard } from './session-encryption';
import type {
  Actor,
  Appointment,
  AppointmentFormat,
  AppointmentStatus,
  CareLookup,
  PeopleDirectory,
} from './scheduling.types';

export { BookingService } from './booking.service';
export { CalendarFeedService } from './calendar-feed.service';
export { ReminderJob, dueOffset } from './reminder-job';
export { ScheduleService, type SlotListing, type BookingCalendar } from './schedule.service';
export { clientStepMinutes, type CalendarDay, type TimeGroup, type DayNotice } from './booking-calendar';
export { joinState, joinOpensAt, type JoinState } from './join-window';
export { appointmentTimes, type AppointmentTimes } from './appointment-times';
export { formatDateTime, formatTime, zoneLabel, isValidTimeZone, clockText, localDate } from './time-zones';
export type { OccurrenceCheck, ConflictReason } from './recurrence';
export type * from './scheduling.types';
export type * from './scheduling.schemas';
export { FORMATS, KINDS } from './scheduling.types';
export { canChange, canChooseE2ee, changeRefusal, hasMedia, stillAhead } from './scheduling.policy';
export { SchedulingSubjectRecords, type AppointmentExport } from './subject-records';
export { SessionCalendar } from './session-calendar';
export { builtInTypeKey } from './built-in-types';
export { SchedulingEvents, type SchedulingEventMap } from './scheduling-events';
export type { E2eeChoiceGuard } from './session-encryption';

/** Operator settings for scheduling (from config). */
export interface SchedulingSettings {
  /** "Join" opens this many minutes before the start. */
  readonly joinWindowMinutes: number;
  /** Reminder offsets in minutes before the start (default 1440 and 60). */
  readonly reminderOffsetsMinutes: readonly number[];
  /** Client cancellations closer than this to the start are late. */
  readonly lateCancelHours: number;
  /** How often the reminder job looks for due reminders. */
  readonly reminderPollMs: number;
}

/**
 * What the live room needs to admit people: participants, times (UTC instants), format, status.
 * Shaped to fit the rooms feature's `AppointmentLookup` port as-is.
 */
export interface RoomAppointment {
  readonly id: string;
  readonly therapistId: string;
  readonly clientIds: readonly string[];
  readonly startsAt: Date;
  readonly endsAt: Date;
  readonly format: AppointmentFormat;
  readonly status: AppointmentStatus;
  /** True when the appointment is not going ahead (requested, cancelled or declined). */
  readonly cancelled: boolean;
  /** The therapist ended its session in the room: it is over. */
  readonly completed: boolean;
  /** Its therapist chose end-to-end encrypted media (read under ROOM_E2EE=per-session). */
  readonly e2eeChosen: boolean;
}

/** An appointment as the rooms feature needs it. */
function forRoom(a: Appointment): RoomAppointment {
  return {
    id: a.id,
    therapistId: a.therapistId,
    clientIds: a.clientIds,
    startsAt: a.start,
    endsAt: a.end,
    format: a.format,
    status: a.status,
    cancelled: a.status === 'requested' || a.status === 'cancelled' || a.status === 'declined',
    completed: a.status === 'completed',
    e2eeChosen: a.e2eeChosen,
  };
}

/** The accounts service, as far as scheduling uses it. */
export interface AccountsLookup {
  byId(id: string): Promise<User | null>;
  list(): Promise<User[]>;
}

const personOf = (u: User) => ({
  id: u.id,
  email: u.email,
  displayName: u.displayName,
  timeZone: u.timeZone,
  language: u.language,
  roles: u.roles,
  active: u.status === 'active',
});

/** Adapts accounts to the `PeopleDirectory` port (people lists are small: one clinic). */
export function peopleFromAccounts(accounts: AccountsLookup): PeopleDirectory {
  return {
    async byId(id) {
      const u = await accounts.byId(id);
      return u ? personOf(u) : null;
    },
    async withRole(role) {
      return (await accounts.list())
        .filter((u) => u.roles.includes(role) && u.status === 'active')
        .map(personOf);
    },
  };
}

export interface Scheduling {
  readonly schedule: ScheduleService;
  readonly booking: BookingService;
  readonly feeds: CalendarFeedService;
  readonly reminders: ReminderJob;
  readonly settings: SchedulingSettings;
  /** A client's appointments for export; cancellation and purge on erasure (data rights). */
  readonly subjectRecords: SchedulingSubjectRecords;
  /**
   * For the rooms feature: the facts needed to check "only participants, from N minutes before the
   * start until the end plus grace" (see `joinState`). No access check here — the caller decides.
   */
  getAppointmentForRoom(appointmentId: string): Promise<RoomAppointment | null>;
  /**
   * For the rooms feature's invited guests ("this and every later session of the series"): the
   * series' appointments after this one that are still going ahead, oldest first (none outside a series).
   */
  laterInSeries(appointmentId: string): Promise<RoomAppointment[]>;
  /**
   * For the rooms feature: the therapist ended the appointment's session for everyone, so the
   * appointment is completed. Nothing happens unless it is still confirmed.
   */
  completeFromRoom(appointmentId: string, therapist: Actor): Promise<void>;
  /**
   * For the rooms feature: the appointment's therapist chooses end-to-end encrypted media for its
   * session (and, with `scope: 'rest'`, the series' later ones). Scheduling applies its rule and
   * audits; `guard` is the rooms feature's say (offered at all, no room in use), asked before writing.
   */
  chooseE2ee(
    therapist: Actor,
    appointmentId: string,
    input: unknown,
    guard: (appointments: readonly RoomAppointment[]) => Promise<void>,
  ): Promise<RoomAppointment[]>;
  /**
   * For clinical's "before each session" questionnaires: the start of the client's next confirmed
   * appointment at or after `after`, and of their most recent one that started before `before`.
   */
  nextSessionStart(clientId: string, after: Date): Promise<Date | null>;
  previousSessionStart(clientId: string, before: Date): Promise<Date | null>;
  /** Completed, missed and cancelled appointments, told after each commit (billing listens). */
  readonly events: SchedulingEvents;
  /** For billing: one appointment as it stands (no access check: billing applies its own). */
  appointmentById(appointmentId: string): Promise<Appointment | null>;
  /** For billing's sweep: completed, no-show and late-cancelled appointments starting in [from, to). */
  settledStartingBetween(from: Date, to: Date): Promise<Appointment[]>;
  /** For the admin overview: confirmed sessions starting in (from, to], earliest first (times and therapists only). */
  sessionsStartingBetween(
    from: Date,
    to: Date,
  ): Promise<Array<{ id: string; therapistId: string; start: Date; end: Date; format: AppointmentFormat }>>;
}

/**
 * The part of scheduling that depends on no other feature: the appointments table, booking hours
 * and open slots, and when sessions are. The composition root builds it first, so clinical (session
 * times) and the directory (next open slot) can read it while scheduling's booking, built after
 * them, calls down into clinical's care and the directory's licence check.
 */
export interface SchedulingCore {
  readonly models: SchedulingModels;
  readonly repo: SchedulingRepository;
  readonly schedule: ScheduleService;
  readonly calendar: SessionCalendar;
}

export function createSchedulingCore(deps: {
  readonly sequelize: Sequelize;
  readonly audit: AuditTrail;
  readonly clock: Clock;
}): SchedulingCore {
  const models = defineSchedulingModels(deps.sequelize);
  const repo = new SchedulingRepository(models);
  return {
    models,
    repo,
    schedule: new ScheduleService(deps.sequelize, repo, deps.audit, deps.clock),
    calendar: new SessionCalendar(repo),
  };
}

export interface SchedulingDeps {
  readonly sequelize: Sequelize;
  readonly audit: AuditTrail;
  readonly outbox: Outbox;
  readonly cipher: FieldCipher;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly people: PeopleDirectory;
  /** Care assignments (clinical); without it any client may be booked by any therapist. */
  readonly care?: CareLookup | null;
  /** The directory's booking rule (see BookingDeps.mayTakeBookings). */
  readonly mayTakeBookings?: BookingDeps['mayTakeBookings'];
  readonly settings: SchedulingSettings;
  readonly publicUrl: string;
  readonly clinicName: string;
  /** The words of scheduling emails and calendar entries, per recipient language. */
  readonly words: MailWords;
}

export function createScheduling(core: SchedulingCore, deps: SchedulingDeps): Scheduling {
  const { repo, calendar } = core;
  const mailer = new SchedulingMailer(deps.outbox, deps.people, {
    publicUrl: deps.publicUrl,
    clinicName: deps.clinicName,
    words: deps.words,
  });
  const { sequelize, audit, clock } = deps;
  const events = new SchedulingEvents(deps.logger.child({ component: 'scheduling-events' }));
  const encryption = new SessionEncryptionChoice({ sequelize, repo, audit, clock });
  const booking = new BookingService({
    events,
    sequelize,
    repo,
    audit,
    cipher: deps.cipher,
    clock,
    mailer,
    people: deps.people,
    care: deps.care ?? null,
    mayTakeBookings: deps.mayTakeBookings,
    settings: { lateCancelHours: deps.settings.lateCancelHours },
  });
  return {
    events,
    appointmentById: (appointmentId) => repo.byId(appointmentId),
    settledStartingBetween: (from, to) => repo.settledStartingBetween(from, to),
    settings: deps.settings,
    subjectRecords: new SchedulingSubjectRecords(core.models, deps.cipher),
    schedule: core.schedule,
    booking,
    feeds: new CalendarFeedService(
      { sequelize, repo, audit, clock, mailer, people: deps.people },
      { publicUrl: deps.publicUrl, clinicName: deps.clinicName },
    ),
    reminders: new ReminderJob(
      sequelize,
      repo,
      mailer,
      clock,
      deps.logger.child({ component: 'reminders' }),
      {
        offsetsMinutes: deps.settings.reminderOffsetsMinutes,
        pollIntervalMs: deps.settings.reminderPollMs,
      },
    ),
    async getAppointmentForRoom(appointmentId) {
      const a = await repo.byId(appointmentId);
      return a ? forRoom(a) : null;
    },
    async laterInSeries(appointmentId) {
      const a = await repo.byId(appointmentId);
      if (!a?.seriesId) return [];
      const later = await repo.seriesFrom(a.seriesId, new Date(a.start.getTime() + 1));
      return later.map(forRoom).filter((r) => !r.cancelled && !r.completed);
    },
    async completeFromRoom(appointmentId, therapist) {
      const a = await repo.byId(appointmentId);
      if (a?.status === 'confirmed') await booking.complete(therapist, appointmentId);
    },
    async chooseE2ee(therapist, appointmentId, input, guard) {
      const ask: E2eeChoiceGuard = (targets) => guard(targets.map(forRoom));
      return (await encryption.choose(therapist, appointmentId, input, ask)).map(forRoom);
    },
    nextSessionStart: (clientId, after) => calendar.nextSessionStart(clientId, after),
    previousSessionStart: (clientId, before) => calendar.previousSessionStart(clientId, before),
    sessionsStartingBetween: (from, to) => calendar.sessionsStartingBetween(from, to),
  };
}
