import type { Transaction } from 'sequelize';
import type { DateException, WeeklyWindow } from './availability';

export const FORMATS = ['video', 'audio', 'chat'] as const;
/** How the session happens: video, audio only, or in-session chat only. */
export type AppointmentFormat = (typeof FORMATS)[number];

export const KINDS = ['individual', 'couples', 'group'] as const;
/** individual: one client; couples/family: up to 4 clients; group: up to the type's capacity. */
export type AppointmentKind = (typeof KINDS)[number];

/** `completed`: the therapist ended the session in its room (attendance says who came). */
export const STATUSES = ['requested', 'confirmed', 'completed', 'cancelled', 'declined', 'no_show'] as const;
export type AppointmentStatus = (typeof STATUSES)[number];

/** Statuses that hold the therapist's time (and its slot claims). */
export const ACTIVE_STATUSES: readonly AppointmentStatus[] = ['requested', 'confirmed'];

export type BookingMode = 'direct' | 'request';

export interface AppointmentType {
  readonly id: string;
  readonly name: string;
  readonly durationMinutes: number;
  readonly format: AppointmentFormat;
  readonly kind: AppointmentKind;
  /** Most clients one appointment of this type can hold. */
  readonly capacity: number;
  readonly bufferBeforeMinutes: number;
  readonly bufferAfterMinutes: number;
  readonly active: boolean;
}

export interface StoredException extends DateException {
  readonly id: string;
}

export interface TherapistSchedule {
  readonly therapistId: string;
  readonly timeZone: string;
  readonly minNoticeMinutes: number;
  readonly horizonDays: number;
  readonly slotStepMinutes: number;
  readonly bookingMode: BookingMode;
  readonly weekly: readonly WeeklyWindow[];
  readonly exceptions: readonly StoredException[];
}

/** An appointment as the rest of Haven sees it. The reason for visit is never part of it. */
export interface Appointment {
  readonly id: string;
  readonly therapistId: string;
  readonly clientIds: readonly string[];
  readonly typeId: string;
  readonly seriesId: string | null;
  readonly start: Date;
  readonly end: Date;
  readonly blockStart: Date;
  readonly blockEnd: Date;
  readonly status: AppointmentStatus;
  readonly format: AppointmentFormat;
  /** iCalendar SEQUENCE: raised on every change the participants' calendars must pick up. */
  readonly sequence: number;
  readonly hasReason: boolean;
  readonly bookedBy: string;
  readonly lateCancellation: boolean;
  /**
   * Its therapist chose end-to-end encrypted media for its session. Read only under
   * ROOM_E2EE=per-session (the rooms feature decides; `on` and `off` ignore it).
   */
  readonly e2eeChosen: boolean;
  readonly cancelledBy: string | null;
  readonly cancelledAt: Date | null;
  readonly createdAt: Date;
}

/** Who is acting, as scheduling needs to know them. */
export interface Actor {
  readonly id: string;
  readonly roles: readonly string[];
  /** Where the request came from, for the audit trail. */
  readonly ip?: string | null;
}

/** A person as scheduling needs them (from accounts, through a port). */
export interface SchedulingPerson {
  readonly id: string;
  readonly email: string;
  readonly displayName: string;
  readonly timeZone: string;
  /** The language their emails and calendar entries are written in (BCP 47). */
  readonly language: string;
  readonly roles: readonly string[];
  readonly active: boolean;
}

/** One client's care that an appointment begins or ends, and who acted (for the audit trail). */
export interface AppointmentCareChange {
  readonly therapistId: string;
  readonly clientId: string;
  readonly appointmentId: string;
  readonly actorId: string;
  readonly ip?: string | null;
}

/**
 * The port to clinical care assignments: a therapist books only for clients they treat (new clients
 * reach a therapist by booking themselves), and a confirmed appointment begins care (care-rule.ts).
 * The writes run in scheduling's transaction, so an appointment and its care commit together.
 */
export interface CareLookup {
  isTreating(therapistId: string, clientId: string): Promise<boolean>;
  /** Begins care unless the two are in care already; true when it began. */
  beginWithAppointment(change: AppointmentCareChange, transaction: Transaction): Promise<boolean>;
  /** Ends care only if this appointment began it; true when it ended. */
  endBegunWith(change: AppointmentCareChange, transaction: Transaction): Promise<boolean>;
}

/** The port to accounts, so scheduling does not reach into its tables. */
export interface PeopleDirectory {
  byId(id: string): Promise<SchedulingPerson | null>;
  /** Everyone holding a role (for "book for a client" and "pick a therapist"). */
  withRole(role: 'therapist' | 'client'): Promise<SchedulingPerson[]>;
}
