import type { Transaction } from 'sequelize';
import type { Role, User } from '../accounts';
import type { AuditEntryInput } from '../audit';
import type { OutgoingEmail } from '../mail';
import type { MessageView, MessagingPushes } from '../protocol';

/** The signed-in person acting, and from where (for the audit). */
export interface MessagingActor {
  readonly id: string;
  readonly roles: readonly Role[];
  readonly ip?: string | null;
}

/** Port: who treats whom. Clinical's `CareService` fits (read through `server/clinical/index.ts`). */
export interface CarePort {
  treatingTherapistIds(clientId: string): Promise<readonly string[]>;
  clientsOf(therapistId: string): Promise<readonly { readonly clientId: string }[]>;
}

/** Port: people (AccountsService fits). */
export interface PeoplePort {
  byId(id: string): Promise<User | null>;
  list(): Promise<User[]>;
}

/** Port: the durable outbox (mail's Outbox fits). */
export interface OutboxPort {
  enqueue(email: OutgoingEmail, transaction?: Transaction): Promise<boolean>;
}

/** Port: the audit trail (AuditTrail fits). */
export interface AuditPort {
  record(entry: AuditEntryInput, transaction?: Transaction): Promise<unknown>;
}

/** The slice of configuration messaging needs. */
export interface MessagingSettings {
  /** Absolute base URL, no trailing slash: the only link in notification emails. */
  readonly publicUrl: string;
  /** Clients may also write to the clinic's front desk (admins answer). */
  readonly frontDesk: boolean;
  /** Shown above every composer: the clinic's own words, or null for Haven's own in the reader's language. */
  readonly expectations: string | null;
  /** Largest attachment accepted, in bytes. */
  readonly attachmentMaxBytes: number;
  /** `${dataDir}/attachments`: where encrypted attachment files live. */
  readonly attachmentsDir: string;
}

export type ThreadKind = 'care' | 'front_desk';

/** Which side of a thread a person is on. */
export type ThreadSide = 'client' | 'therapist' | 'front_desk';

export interface Thread {
  readonly id: string;
  readonly kind: ThreadKind;
  readonly clientId: string;
  /** Null for a front-desk thread. */
  readonly therapistId: string | null;
  readonly lastSeq: number;
  readonly createdAt: Date;
  readonly lastMessageAt: Date | null;
}

export type { AttachmentView, MessageView } from '../protocol';

/** A row of the inbox: an existing thread, or a person one may start writing to. */
export interface ThreadSummary {
  readonly threadId: string | null;
  readonly kind: ThreadKind;
  /** The other side's id (a therapist or client), or null for the front desk. */
  readonly withUserId: string | null;
  readonly title: string;
  readonly unread: number;
  readonly lastMessageAt: Date | null;
  readonly canWrite: boolean;
}

export interface ThreadPage {
  readonly thread: Thread;
  readonly side: ThreadSide;
  readonly title: string;
  readonly messages: readonly MessageView[];
  readonly canWrite: boolean;
  /** The therapist's away notice, shown to the client above the composer. */
  readonly awayNotice: string | null;
  /** The clinic's words; null: the page writes Haven's own (messaging:expectations.default). */
  readonly expectations: string | null;
  /** The viewer's own messages they may still retract (within five minutes of sending). */
  readonly retractableIds: readonly string[];
}

export interface SearchHit {
  readonly threadId: string;
  readonly threadTitle: string;
  readonly messageId: string;
  readonly senderName: string;
  readonly sentAt: string;
  /** Text around the first match. */
  readonly snippet: string;
}

export interface UploadedFile {
  readonly bytes: Buffer;
  /** As the browser sent it; used only (encrypted) for the download name, never on disk. */
  readonly originalName: string;
}

/**
 * Typed domain events, forwarded to sockets by `server/realtime/handlers/messaging.handlers.ts`:
 * each is the push declared in `protocol/messaging.ts` plus `to`, every member's user id (the
 * sender's other tabs too), which is never sent.
 */
export type MessagingEvents = {
  [K in keyof MessagingPushes]: [MessagingPushes[K] & { readonly to: readonly string[] }];
};
