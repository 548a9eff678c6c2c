import type { Sequelize } from 'sequelize';
import type { AccountsService } from '../accounts';
import type { AuditTrail } from '../audit';
import type { ClinicalServices } from '../clinical';
import type { DirectoryService } from '../directory';
import type { EmailBrand, MailWords, Outbox, TestMessage } from '../mail';
import type { Scheduling } from '../scheduling';
import type { Clock } from '../shared/clock';
import type { FieldCipher } from '../shared/field-encryption';
import { defineAdminModels } from './admin.model';
import { AuditViewerService } from './audit-viewer.service';
import { brandStylesheet } from './branding';
import { ClinicPreferencesService, type PreferenceDefaults } from './clinic-preferences.service';
import { LogoStore } from './logo-store';
import { OutboxViewerService } from './outbox-viewer.service';
import { NodesViewService, type NodesPorts } from './nodes-view.service';
import { OverviewService, type OverviewPorts } from './overview.service';
import { PeopleService } from './people.service';
import { StringOverridesService, type OverrideSink, type ShippedStrings } from './string-overrides.service';

export * as adminPolicy from './admin.policy';
export type { AdminActor } from './admin.policy';
export { ClinicPreferencesService } from './clinic-preferences.service';
export {
  COLOUR_KEYS,
  CONTRAST_PAIRS,
  DEFAULT_COLOURS,
  LANGUAGE_CODES,
  pairName,
  type BrandColours,
  type ClinicPreferences,
} from './clinic-preferences.schemas';
export { contrastRatio, formatRatio, MIN_TEXT_CONTRAST } from './contrast';
export { csvField, csvRow } from './csv';
export { LOGO_MAX_BYTES, logoTooLarge } from './logo-store';
export { PEOPLE_PAGE_SIZE, peopleFilterFrom, type PeopleFilter, type PeoplePage } from './people.service';
export { AUDIT_PAGE_SIZE, auditQueryFrom, type AuditQuery, type AuditPage } from './audit-viewer.service';
export { OUTBOX_STATUSES } from './outbox-viewer.service';
export type { Overview, OverviewPorts } from './overview.service';
export type { OverrideSink, ShippedStrings, StringRow } from './string-overrides.service';
export type { ConsoleNode, ConsoleNodeView, NodesPorts, NodesView } from './nodes-view.service';
export {
  PeopleService,
  AuditViewerService,
  OutboxViewerService,
  OverviewService,
  StringOverridesService,
  NodesViewService,
};

/** The admin console's services (issue 9). */
export interface AdminServices {
  readonly preferences: ClinicPreferencesService;
  readonly people: PeopleService;
  readonly auditViewer: AuditViewerService;
  readonly outbox: OutboxViewerService;
  readonly overview: OverviewService;
  /** The clinic's own wording of interface strings, per language (audited, applied at once). */
  readonly strings: StringOverridesService;
  /** The Haven nodes sharing the database, their load and people online (issue 22). */
  readonly nodes: NodesViewService;
  /** The clinic's stylesheet (/branding.css), rebuilt from the current colours. */
  stylesheet(): string;
  /** What HTML emails look like now. */
  emailBrand(): Promise<EmailBrand>;
  /** The CLINIC_NAME setting, shown until setup (or the console) names the clinic. */
  readonly defaultClinicName: string;
}

/** What the clinic's preferences need (they are built before the features that read them). */
export interface PreferencesDeps {
  readonly sequelize: Sequelize;
  readonly accounts: AccountsService;
  readonly audit: AuditTrail;
  readonly cipher: FieldCipher;
  readonly clock: Clock;
  readonly defaults: PreferenceDefaults;
  /** Where the logo lives (DATA_DIR/branding). */
  readonly brandingDir: string;
}

/**
 * The clinic's preferences (branding, texts, SMTP server, directory visibility, session times),
 * loaded. Built right after accounts, before mail's sender, clinical, messaging and the console
 * that read them: every reader gets the built service, none waits for a variable set later.
 */
export async function createClinicPreferences(deps: PreferencesDeps): Promise<ClinicPreferencesService> {
  const preferences = new ClinicPreferencesService({
    sequelize: deps.sequelize,
    models: defineAdminModels(deps.sequelize),
    accounts: deps.accounts,
    audit: deps.audit,
    cipher: deps.cipher,
    clock: deps.clock,
    defaults: deps.defaults,
    logo: new LogoStore(deps.brandingDir),
  });
  await preferences.load();
  return preferences;
}

/** What HTML emails look like now: the clinic's name (kept by accounts), colours and logo. */
export async function emailBrandOf(
  preferences: ClinicPreferencesService,
  accounts: Pick<AccountsService, 'clinic'>,
  site: { readonly publicUrl: string; readonly defaultClinicName: string },
): Promise<EmailBrand> {
  // The clinic name lives in accounts (setup sets it; its read is cached there).
  const clinicName = (await accounts.clinic.get()).clinicName ?? site.defaultClinicName;
  const c = preferences.colours;
  const version = preferences.logoVersion;
  return {
    clinicName,
    primary: c.primary,
    primaryText: c.primaryText,
    background: c.background,
    text: c.text,
    logoUrl: version ? `${site.publicUrl}/branding/logo.png?v=${version}` : null,
    siteUrl: site.publicUrl,
  };
}

export interface AdminDeps {
  readonly sequelize: Sequelize;
  readonly accounts: AccountsService;
  readonly audit: AuditTrail;
  readonly clock: Clock;
  /** Built first (createClinicPreferences). */
  readonly preferences: ClinicPreferencesService;
  readonly clinical: ClinicalServices;
  readonly directory: DirectoryService;
  readonly scheduling: Scheduling;
  readonly outbox: Outbox;
  readonly mail: {
    configured(): boolean;
    sendNow(message: TestMessage): Promise<void>;
  };
  /** Email words per recipient language (the test email). */
  readonly words: MailWords;
  /** Shown until setup names the clinic. */
  readonly defaultClinicName: string;
  readonly publicUrl: string;
  readonly ports: Omit<OverviewPorts, 'mailConfigured'>;
  /** The shipped interface strings and where a clinic's override takes effect (the translator). */
  readonly strings: { readonly shipped: ShippedStrings; readonly sink: OverrideSink };
  readonly nodes: NodesPorts;
}

/** Builds the admin console's services over the clinic's preferences (already loaded). */
export function createAdmin(deps: AdminDeps): AdminServices {
  const { sequelize, accounts, audit, clock, preferences } = deps;
  return {
    preferences,
    people: new PeopleService({
      sequelize,
      accounts,
      care: deps.clinical.care,
      directory: deps.directory,
      audit,
    }),
    auditViewer: new AuditViewerService({ audit, accounts }),
    outbox: new OutboxViewerService({
      outbox: deps.outbox,
      audit,
      configured: deps.mail.configured,
      sendNow: deps.mail.sendNow,
      words: deps.words,
    }),
    overview: new OverviewService({
      accounts,
      audit,
      crisis: deps.clinical.crisis,
      directory: deps.directory,
      outbox: deps.outbox,
      scheduling: deps.scheduling,
      clock,
      timeZone: () => preferences.current.timeZone,
      ports: { ...deps.ports, mailConfigured: deps.mail.configured },
    }),
    strings: new StringOverridesService({ sequelize, audit, clock, ...deps.strings }),
    nodes: new NodesViewService(deps.nodes),
    stylesheet: () => brandStylesheet(preferences.colours),
    defaultClinicName: deps.defaultClinicName,
    emailBrand: () => emailBrandOf(preferences, accounts, deps),
  };
}
