import type { Migration } from '../migration-context';
import { migration as users } from './20261126-0001-users';
import { migration as outbox } from './20261126-0002-outbox';
import { migration as audit } from './20261126-0003-audit';
import { migration as clinical } from './20261126-0701-clinical';
import { migration as directory } from './20261126-0702-directory';
import { migration as accountsAccess } from './20261126-0101-accounts-access';
import { migration as scheduling } from './20261126-0601-scheduling';
import { migration as rooms } from './20261126-0401-rooms';
import { migration as messaging } from './20261126-0801-messaging';
import { migration as groups } from './20261126-0802-groups';
import { migration as groupEscalations } from './20261126-0803-group-escalations';
import { migration as groupMeetings } from './20261126-0804-group-meetings';
import { migration as clinicPreferences } from './20261126-1101-clinic-preferences';
import { migration as dataRights } from './20261126-1201-data-rights';
import { migration as careBegunByAppointment } from './20261203-0101-care-begun-by-appointment';
import { migration as defaultAppointmentKinds } from './20261203-0102-default-appointment-kinds';
import { migration as invitedLicences } from './20261203-0103-invited-licences';
import { migration as carePlanning } from './20261203-1801-care-planning';
import { migration as billing } from './20261203-1901-billing';
import { migration as clusterNodes } from './20261203-2201-cluster-nodes';
import { migration as rateLimitCounters } from './20261203-2202-rate-limit-counters';
import { migration as roomPlacements } from './20261203-2203-room-placements';
import { migration as mailLanguage } from './20261203-2204-mail-language';
import { migration as stringOverrides } from './20261203-2205-string-overrides';
import { migration as consentLanguages } from './20261203-2206-consent-languages';
import { migration as roomPlacementHandover } from './20261203-2220-room-placement-handover';
import { migration as roomGuests } from './20261203-2301-room-guests';
import { migration as nodePresence } from './20261204-0430-node-presence';
import { migration as guestReadingLanguage } from './20261204-0600-guest-reading-language';
import { migration as appointmentE2ee } from './20261204-1540-appointment-e2ee';

/**
 * Every migration, oldest first. An explicit list (not a glob) so the same code runs from sources
 * under tsx and from compiled JavaScript, and a missing file is a compile error.
 */
export const MIGRATIONS: readonly Migration[] = [
  users,
  outbox,
  audit,
  accountsAccess,
  rooms,
  scheduling,
  clinical,
  directory,
  messaging,
  groups,
  groupEscalations,
  groupMeetings,
  clinicPreferences,
  dataRights,
  careBegunByAppointment,
  defaultAppointmentKinds,
  invitedLicences,
  carePlanning,
  billing,
  clusterNodes,
  rateLimitCounters,
  roomPlacements,
  mailLanguage,
  stringOverrides,
  consentLanguages,
  roomPlacementHandover,
  roomGuests,
  nodePresence,
  guestReadingLanguage,
  appointmentE2ee,
];
