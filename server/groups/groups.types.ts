import type { Role, User } from '../accounts';
import type { Transaction } from 'sequelize';
import type { AuditEntryInput } from '../audit';
import type { OutgoingEmail } from '../mail';

export interface GroupActor {
  readonly id: string;
  readonly roles: readonly Role[];
  readonly ip?: string | null;
}

export type MembershipMode = 'open' | 'approval';
export type MemberStatus = 'pending' | 'active' | 'removed' | 'blocked';

export interface Group {
  readonly id: string;
  readonly topic: string;
  readonly description: string;
  readonly capacity: number;
  readonly membership: MembershipMode;
  readonly createdBy: string;
  readonly createdAt: Date;
  readonly facilitatorIds: readonly string[];
  readonly guidelinesVersion: number;
}

export interface Guidelines {
  readonly version: number;
  readonly text: string;
}

/** A stored membership (server side only: it holds the user id). */
export interface Membership {
  readonly id: string;
  readonly groupId: string;
  readonly userId: string;
  readonly pseudonym: string;
  readonly status: MemberStatus;
  readonly guidelinesVersion: number | null;
}

/**
 * A member as another person sees them. `memberId` is the membership's own id, never the user id,
 * so nothing links a pseudonym to an account or across groups. `realName` is present only for a
 * viewer the policy allows (admins; facilitators when the clinic allows it).
 */
export interface MemberView {
  readonly memberId: string;
  readonly pseudonym: string;
  readonly status: MemberStatus;
  readonly acceptedGuidelines: boolean;
  readonly realName?: string;
}

/** A group as a person sees it on its page. */
export interface GroupPage {
  readonly group: Group;
  readonly guidelines: Guidelines;
  /** The viewer's own membership (pseudonym and status), or null. */
  readonly me: {
    readonly memberId: string;
    readonly pseudonym: string;
    readonly status: MemberStatus;
    readonly acceptedGuidelines: boolean;
  } | null;
  readonly canManage: boolean;
  /** A facilitator of this group (may alert the on-call clinician). */
  readonly isFacilitator: boolean;
  readonly canJoin: boolean;
  /** Null when the viewer may not see the member list. */
  readonly members: readonly MemberView[] | null;
  readonly activeCount: number;
}

export interface PeoplePort {
  byId(id: string): Promise<User | null>;
  list(): Promise<User[]>;
}

/** The durable outbox (mail's Outbox fits). */
export interface OutboxPort {
  enqueue(email: OutgoingEmail, transaction?: Transaction): Promise<boolean>;
}

export interface AuditPort {
  record(entry: AuditEntryInput): Promise<unknown>;
}

export interface GroupSettings {
  /** Facilitators may see members' real names (admins always may). */
  readonly facilitatorsSeeNames: boolean;
}
