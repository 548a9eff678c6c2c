import type { User } from '../accounts';
import type { OutgoingEmail } from '../mail';
import type { Transaction } from 'sequelize';

/** The slice of configuration the clinical services need. */
export interface ClinicalSettings {
  readonly clinicName: string;
  /** Absolute base URL, no trailing slash; for the link in alert emails. */
  readonly publicUrl: string;
  /**
   * The clinic's (else the operator's) default crisis text, or null: then a reader is shown Haven's
   * own (clinical:crisis.resourcesDefault) in their language.
   */
  readonly crisisResources: string | null;
  /** The same for a reader of `language` (their language's text, else the default one, else null). */
  crisisResourcesFor?(language: string): string | null;
  /** How long an admin's break-glass grant lasts. */
  readonly breakGlassMinutes: number;
}

/** People, as clinical needs them (AccountsService fits). */
export interface PeopleLookup {
  byId(id: string): Promise<User | null>;
  list(): Promise<User[]>;
}

/** The durable outbox (mail's Outbox fits). */
export interface OutboxPort {
  enqueue(email: OutgoingEmail, transaction?: Transaction): Promise<boolean>;
}

/** Optional: when the client's next session starts (scheduling provides it once it exists). */
export interface NextSessionLookup {
  nextSessionStart(clientId: string, after: Date): Promise<Date | null>;
  /** The most recent session that started before `before` (answers from before it are stale). */
  previousSessionStart?(clientId: string, before: Date): Promise<Date | null>;
}
