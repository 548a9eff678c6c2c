import type { Sequelize } from 'sequelize';
import type { AuditTrail } from '../audit';
import type { Clock } from '../shared/clock';
import { AccountsService } from './accounts.service';
import { defineAccountModels } from './user.model';
import { UserRepository } from './user.repository';

export { AccountsService } from './accounts.service';
export { ROLES, isRole, type Role } from './roles';
export type { User } from './user.repository';
export { hashPassword, verifyPassword } from './password-hashing';

export function createAccounts(sequelize: Sequelize, audit: AuditTrail, clock: Clock): AccountsService {
  return new AccountsService(sequelize, new UserRepository(defineAccountModels(sequelize)), audit, clock);
}
