import type { Sequelize } from 'sequelize';
import type { Clock } from '../shared/clock';
import { defineGroupModels } from './groups.model';
import { GroupsRepository } from './groups.repository';
import { GroupsService } from './groups.service';
import type { AuditPort, GroupSettings, PeoplePort } from './groups.types';

export { GroupsService } from './groups.service';
export { Escalations, type EscalationView, type EscalationSettings } from './escalations';
export { GroupsSubjectRecords } from './subject-records';
export {
  GroupMeetings,
  type Meeting,
  type MeetingForRoom,
  type MeetingSeat,
  type ReportView,
} from './meetings';
export { DEFAULT_GUIDELINES } from './groups.schemas';
export * as groupsPolicy from './groups.policy';
export type * from './groups.types';

export interface GroupsDeps {
  readonly sequelize: Sequelize;
  readonly audit: AuditPort;
  readonly people: PeoplePort;
  readonly clock: Clock;
  readonly settings: GroupSettings;
}

/** Peer-support groups (the domain: membership, pseudonyms, guidelines). */
export function createGroups(deps: GroupsDeps): GroupsService {
  return new GroupsService({
    sequelize: deps.sequelize,
    repo: new GroupsRepository(defineGroupModels(deps.sequelize)),
    people: deps.people,
    audit: deps.audit,
    settings: deps.settings,
    clock: deps.clock,
  });
}
