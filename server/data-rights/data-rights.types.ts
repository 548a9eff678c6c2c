import type { Transaction } from 'sequelize';
import type { User } from '../accounts';
import type { OutgoingEmail } from '../mail';
import type { AppointmentExport } from '../scheduling';
import type { BillingExport } from '../billing';
import type { CarePlanningExport } from '../care-planning';
import type { ClinicalExport, PurgeCounts, Restriction } from '../clinical';
import type { MessagingExport } from '../messaging';

/** Everything one client's export holds, opened, before it is written out as files. */
export interface SubjectData {
  readonly generatedAt: Date;
  readonly clinicName: string;
  readonly client: User;
  /** Display names of the other people in the record (therapists, front desk), by id. */
  readonly names: ReadonlyMap<string, string>;
  readonly appointments: readonly AppointmentExport[];
  readonly clinical: ClinicalExport;
  /** Diagnoses, signed treatment plans, between-session exercises and safety plans (issue 18). */
  readonly care: CarePlanningExport;
  readonly messaging: MessagingExport;
  readonly chat: readonly { id: string; roomId: string; senderId: string; body: string; createdAt: Date }[];
  /** Charges, invoices and payments (issue 19), when billing is wired in. */
  readonly billing?: BillingExport;
}

/** The durable outbox (mail's Outbox fits). */
export interface OutboxPort {
  enqueue(email: OutgoingEmail, transaction?: Transaction): Promise<boolean>;
}

/** The slices of other features data rights uses (their `subjectRecords`; see app.ts). */
export interface DataRightsPorts {
  readonly people: {
    byId(id: string): Promise<User | null>;
    list(): Promise<User[]>;
  };
  readonly accountErasure: {
    erase(userId: string, now: Date, tx: Transaction): Promise<void>;
    signOutEverywhere(userId: string): Promise<void>;
  };
  readonly clinical: {
    exportOf(clientId: string): Promise<ClinicalExport>;
    restrictionOf(clientId: string): Promise<Restriction | null>;
    restrict(clientId: string, reason: string, now: Date, purgeAfter: Date, tx: Transaction): Promise<void>;
    dueForPurge(now: Date, limit?: number): Promise<Restriction[]>;
    purge(clientId: string, tx: Transaction): Promise<PurgeCounts>;
  };
  readonly carePlanning: {
    exportOf(clientId: string): Promise<CarePlanningExport>;
    purge(clientId: string, tx: Transaction): Promise<Record<string, number>>;
  };
  readonly messaging: {
    exportOf(clientId: string): Promise<MessagingExport>;
    erase(
      clientId: string,
      tx: Transaction,
    ): Promise<{ threads: number; messages: number; attachments: number; removeFiles: () => Promise<void> }>;
  };
  readonly rooms: {
    chatOf(clientId: string, appointmentIds: readonly string[]): Promise<SubjectData['chat'][number][]>;
    eraseChat(clientId: string, appointmentIds: readonly string[], tx: Transaction): Promise<number>;
    purge(clientId: string, tx: Transaction): Promise<number>;
  };
  readonly groups: {
    erase(userId: string, now: Date, tx: Transaction): Promise<number>;
    purge(userId: string, tx: Transaction): Promise<number>;
  };
  /** Billing's part of the export (CSV only: see billing/subject-records.ts for why not FHIR). */
  readonly billing?: {
    exportOf(clientId: string): Promise<BillingExport>;
  };
  readonly scheduling: {
    appointmentIdsOf(clientId: string, tx?: Transaction): Promise<string[]>;
    exportOf(clientId: string): Promise<AppointmentExport[]>;
    cancelUpcoming(clientId: string, by: string, now: Date, tx: Transaction): Promise<number>;
    eraseReasons(clientId: string, now: Date, tx: Transaction): Promise<number>;
    purge(clientId: string, tx: Transaction): Promise<number>;
  };
}

/** Who is acting, as data rights needs to know them. */
export interface DataRightsActor {
  readonly id: string;
  readonly roles: readonly string[];
  readonly ip?: string | null;
}
