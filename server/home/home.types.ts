import type { Phrase } from '../shared/errors';
import type { Role } from '../accounts';
import type { Homework, ReviewDue } from '../care-planning';
import type { ClinicalServices } from '../clinical';
import type { DirectoryService } from '../directory';
import type { GroupMeetings, GroupsService } from '../groups';
import type { Appointment, AppointmentTimes, ScheduleService } from '../scheduling';
import type { Clock } from '../shared/clock';

/** Who is asking for their home page (the signed-in person). */
export interface HomeActor {
  readonly id: string;
  readonly displayName: string;
  readonly roles: readonly Role[];
  readonly timeZone: string;
  /** Their browser's language: how dates and times are written for them. */
  readonly locale?: string;
  /** The language they read Haven in (which consent text they must have signed). */
  readonly language?: string;
  readonly ip?: string | null;
}

/** Who reads care planning for a home page, as its services take them (checked and audited there). */
interface CareReader {
  readonly id: string;
  readonly roles: readonly Role[];
  readonly ip: string | null;
}

/** What the home pages read, each through the feature that owns it (wired in app.ts). */
export interface HomeDeps {
  readonly clock: Clock;
  /** "Join" opens this many minutes before the start (scheduling's setting). */
  readonly joinWindowMinutes: number;
  readonly appointments: {
    /** The person's appointments that are not over yet, as therapist and as client, soonest first. */
    upcomingFor(actor: HomeActor): Promise<Appointment[]>;
  };
  readonly schedule: Pick<ScheduleService, 'hasSchedule' | 'listTypes'>;
  readonly names: (userId: string) => Promise<string | null>;
  readonly rooms: {
    /** Ad-hoc sessions a therapist opened with this client, open now, with who opened them. */
    openSessionsFor(client: HomeActor): Promise<ReadonlyArray<{ roomId: string; withName: string }>>;
    /** Rooms this therapist hosts where someone is waiting to be let in right now. */
    waitingFor(hostId: string): ReadonlyArray<{ roomId: string; waitingNames: readonly string[] }>;
  };
  readonly clinical: ClinicalServices;
  /** Treatment-plan reviews of this therapist's clients due soon or overdue (care planning). */
  readonly reviewsDue: (actor: CareReader) => Promise<ReviewDue[]>;
  /** A client's own between-session exercises (care planning; the read is audited there). */
  readonly exercisesOf: (client: CareReader) => Promise<Homework[]>;
  readonly directory: DirectoryService;
  readonly unreadMessages: (userId: string) => Promise<number>;
  readonly groups: GroupsService;
  readonly meetings: GroupMeetings;
  readonly roomTimes: { readonly openBeforeMs: number; readonly graceMs: number };
}

/** One appointment as a home page shows it, in the viewer's zone (the appointment list's row). */
export type AppointmentCard = Appointment &
  AppointmentTimes & {
    /** The viewer is its therapist (the card names the clients) rather than a client. */
    readonly isTherapist: boolean;
    readonly withNames: string;
  };

/** A group meeting on a home page: when, and the Join link while its room is open. */
export interface MeetingCard {
  readonly groupId: string;
  readonly topic: string;
  readonly when: string | null;
  readonly joinUrl: string | null;
}

export interface ClientHome {
  /** What to do before the first session, if anything. */
  readonly gettingStarted: 'consent' | 'consent_again' | 'intake' | null;
  readonly openNow: ReadonlyArray<{ roomId: string; withName: string }>;
  readonly next: AppointmentCard | null;
  readonly laterCount: number;
  readonly questionnaires: ReadonlyArray<{ id: string; name: string }>;
  /** Exercises not done yet, soonest due first: the name and the calendar day it is due. */
  readonly exercises: ReadonlyArray<{ id: string; name: string; dueOn: string; started: boolean }>;
  readonly unreadMessages: number;
  readonly hasTherapist: boolean;
  readonly groups: readonly MeetingCard[];
}

/** One step a therapist takes before new clients can book them, done or not. */
/** One step before new clients can book a therapist; its words are resource keys the page writes. */
export interface SetupStep {
  readonly label: Phrase;
  readonly done: boolean;
  readonly href: string;
  readonly detail: Phrase;
}

export interface TherapistToday {
  readonly date: string;
  readonly zone: string;
  /** Null once every step is done. */
  readonly setup: readonly SetupStep[] | null;
  readonly sessions: ReadonlyArray<
    AppointmentCard & { readonly safety: ReadonlyArray<{ name: string; confirmed: boolean }> }
  >;
  /** The first session after today, when there is none today. */
  readonly nextLater: AppointmentCard | null;
  readonly requests: number;
  readonly waiting: ReadonlyArray<{ roomId: string; names: string; count: number }>;
  readonly alerts: ReadonlyArray<{ clientId: string; clientName: string; when: string }>;
  readonly drafts: ReadonlyArray<{ id: string; clientName: string; started: string }>;
  readonly newAnswers: ReadonlyArray<{ clientId: string; clientName: string; measure: string; when: string }>;
  /** Treatment plans to review: due within the notice period, or overdue. */
  readonly reviews: ReadonlyArray<{ clientId: string; clientName: string; dueOn: string; overdue: boolean }>;
  readonly unreadMessages: number;
}

export interface PeerHome {
  readonly groups: readonly MeetingCard[];
}

/** A signed-in person's home: one section per role they hold (admins have /admin). */
export interface HomePage {
  readonly therapist: TherapistToday | null;
  readonly peer: PeerHome | null;
  readonly client: ClientHome | null;
}
