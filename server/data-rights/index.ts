import type { Sequelize } from 'sequelize';
import type { AuditTrail } from '../audit';
import type { Clock } from '../shared/clock';
import type { FieldCipher } from '../shared/field-encryption';
import type { Logger } from '../shared/logger';
import { defineErasureModel } from './data-rights.model';
import type { DataRightsPorts, OutboxPort } from './data-rights.types';
import { ErasureService } from './erasure.service';
import { ExportService } from './export.service';
import { RetentionJob } from './retention-job';

export { ERASURE_CONFIRMATION, addYears, type ErasureRequest } from './erasure.service';
export type { RecordExport } from './export.service';
export type { DataRightsActor, DataRightsPorts, SubjectData } from './data-rights.types';
export type { ErasureStatus } from './data-rights.model';
export * as dataRightsPolicy from './data-rights.policy';
export { ExportService, ErasureService, RetentionJob };

/** Data rights: the client's export, erasure requests, and the retention purge (issue 9). */
export interface DataRights {
  readonly exports: ExportService;
  readonly erasure: ErasureService;
  readonly retention: RetentionJob;
}

export interface DataRightsDeps {
  readonly sequelize: Sequelize;
  readonly audit: AuditTrail;
  readonly cipher: FieldCipher;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly ports: DataRightsPorts;
  readonly outbox: OutboxPort;
  readonly settings: {
    readonly retentionYears: number;
    /** How often the retention job looks for records past retention. */
    readonly retentionPollMs: number;
    readonly clinicName: () => Promise<string>;
    /** Absolute base URL, no trailing slash (the link in the admins' email). */
    readonly publicUrl: string;
  };
}

export function createDataRights(deps: DataRightsDeps): DataRights {
  const model = defineErasureModel(deps.sequelize);
  const { sequelize, audit, clock, ports } = deps;
  return {
    exports: new ExportService({ ports, audit, clock, clinicName: deps.settings.clinicName }),
    erasure: new ErasureService({
      sequelize,
      model,
      ports,
      audit,
      cipher: deps.cipher,
      clock,
      retentionYears: deps.settings.retentionYears,
      outbox: deps.outbox,
      publicUrl: deps.settings.publicUrl,
    }),
    retention: new RetentionJob({
      sequelize,
      model,
      ports,
      audit,
      clock,
      logger: deps.logger.child({ component: 'data-rights' }),
      pollIntervalMs: deps.settings.retentionPollMs,
    }),
  };
}
