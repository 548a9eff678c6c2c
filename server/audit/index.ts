import type { Sequelize } from 'sequelize';
import type { Clock } from '../shared/clock';
import { defineAuditModels } from './audit.model';
import { AuditRepository } from './audit.repository';
import { AuditTrail } from './audit.service';

export { AuditTrail } from './audit.service';
export type { AuditEntryInput, AuditEvent, AuditFilter, AuditVerification } from './audit.types';

export function createAuditTrail(sequelize: Sequelize, clock: Clock): AuditTrail {
  return new AuditTrail(sequelize, new AuditRepository(sequelize, defineAuditModels(sequelize)), clock);
}
