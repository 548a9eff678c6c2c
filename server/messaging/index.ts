import type { MailWords } from '../mail';
import { join } from 'node:path';
import type { Sequelize } from 'sequelize';
import type { Clock } from '../shared/clock';
import type { Logger } from '../shared/logger';
import type { FieldCipher } from '../shared/field-encryption';
import { AttachmentVault } from './attachment-vault';
import { InboxService } from './inbox.service';
import { MessageNotifier } from './message-notifier';
import { MessagingPresence } from './messaging-presence';
import { defineMessagingModels } from './messaging.model';
import { MessagingRepository } from './messaging.repository';
import { MessagingService } from './messaging.service';
import type { AuditPort, CarePort, MessagingSettings, OutboxPort, PeoplePort } from './messaging.types';
import { ThreadDirectory } from './thread-directory';
import { MessagingSubjectRecords } from './subject-records';

export { MessagingService } from './messaging.service';
export { InboxService } from './inbox.service';
export { MessagingPresence } from './messaging-presence';
export { NOTICE_WINDOW_MS } from './message-notifier';
export { RETRACT_WINDOW_MS } from './messaging.policy';
export { sniffContentType, ALLOWED_TYPES, type SniffedType } from './content-sniffing';
export * as messagingSchemas from './messaging.schemas';
export * as messagingPolicy from './messaging.policy';
export type * from './messaging.types';
export { MessagingSubjectRecords, type MessagingExport } from './subject-records';

/** Messaging as the transports (http, realtime) and dashboards see it. */
export interface MessagingFeature {
  readonly messages: MessagingService;
  readonly inbox: InboxService;
  /** Sockets subscribed to live messages; the realtime handler keeps it current. */
  readonly presence: MessagingPresence;
  /** Unread messages for a person across their threads (for dashboards and the header). */
  unreadCountFor(userId: string): Promise<number>;
  /** A client's correspondence for export, and its deletion on erasure (data rights). */
  readonly subjectRecords: MessagingSubjectRecords;
}

export interface MessagingDeps {
  readonly sequelize: Sequelize;
  readonly audit: AuditPort;
  readonly cipher: FieldCipher;
  /** The field-encryption keys (current first), for attachment files on disk. */
  readonly fileKeys: { readonly current: Buffer; readonly previous: readonly Buffer[] };
  readonly outbox: OutboxPort;
  readonly care: CarePort;
  readonly people: PeoplePort;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly settings: Omit<MessagingSettings, 'attachmentsDir'> & { readonly dataDir: string };
  /** The words of notification emails, per recipient language. */
  readonly words: MailWords;
}

export function createMessaging(deps: MessagingDeps): MessagingFeature {
  // Built on the given object (not a spread copy), so settings the admin console may change while
  // Haven runs (the expectations text is a getter) are read at the time of use.
  const settings: MessagingSettings = Object.create(deps.settings, {
    attachmentsDir: { value: join(deps.settings.dataDir, 'attachments'), enumerable: true },
  }) as MessagingSettings;
  const models = defineMessagingModels(deps.sequelize);
  const repo = new MessagingRepository(models, deps.cipher);
  const vault = new AttachmentVault(settings.attachmentsDir, deps.fileKeys.current, deps.fileKeys.previous);
  const directory = new ThreadDirectory({ repo, care: deps.care, people: deps.people, settings });
  const presence = new MessagingPresence();
  const messages = new MessagingService({
    sequelize: deps.sequelize,
    repo,
    vault,
    notifier: new MessageNotifier(deps.outbox, settings.publicUrl, deps.words),
    presence,
    directory,
    audit: deps.audit,
    settings,
    clock: deps.clock,
    logger: deps.logger.child({ component: 'messaging' }),
  });
  const inbox = new InboxService({
    repo,
    directory,
    care: deps.care,
    people: deps.people,
    audit: deps.audit,
    settings,
    clock: deps.clock,
  });
  return {
    messages,
    inbox,
    presence,
    unreadCountFor: (userId) => inbox.unreadCountFor(userId),
    subjectRecords: new MessagingSubjectRecords(models, repo, vault),
  };
}
