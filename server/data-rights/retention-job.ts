import type { Sequelize } from 'sequelize';
import type { AuditTrail } from '../audit';
import type { Clock } from '../shared/clock';
import type { Logger } from '../shared/logger';
import { PollingLoop } from '../shared/polling-loop';
import type { ErasureModel } from './data-rights.model';
import type { DataRightsPorts } from './data-rights.types';

/**
 * Purges restricted clinical records whose retention period has ended (data rights, issue 9).
 * Polls like the reminder job: one pass at start, then every `pollIntervalMs`. Each client is purged
 * in its own transaction with its audit row, so a failure leaves that record restricted (and retried
 * next pass) without holding back the others.
 */
export class RetentionJob {
  readonly #sequelize: Sequelize;
  readonly #model: ErasureModel;
  readonly #ports: DataRightsPorts;
  readonly #audit: AuditTrail;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #loop: PollingLoop<number>;

  constructor(deps: {
    sequelize: Sequelize;
    model: ErasureModel;
    ports: DataRightsPorts;
    audit: AuditTrail;
    clock: Clock;
    logger: Logger;
    pollIntervalMs: number;
  }) {
    this.#sequelize = deps.sequelize;
    this.#model = deps.model;
    this.#ports = deps.ports;
    this.#audit = deps.audit;
    this.#clock = deps.clock;
    this.#logger = deps.logger;
    this.#loop = new PollingLoop({
      pass: () => this.#pass(),
      intervalMs: deps.pollIntervalMs,
      onError: (error) => this.#logger.error({ err: error }, 'retention pass failed'),
    });
  }

  start(): void {
    this.#loop.start();
  }

  /** Stops polling and waits for a pass in progress; idempotent. */
  stop(): Promise<void> {
    return this.#loop.stop();
  }

  /** One pass; returns how many clients' records were purged. */
  runOnce(): Promise<number> {
    return this.#loop.runOnce();
  }

  async #pass(): Promise<number> {
    const now = this.#clock.now();
    const due = await this.#ports.clinical.dueForPurge(now);
    let purged = 0;
    for (const restriction of due) {
      const clientId = restriction.clientId;
      try {
        await this.#sequelize.transaction(async (tx) => {
          const clinical = {
            ...(await this.#ports.clinical.purge(clientId, tx)),
            ...(await this.#ports.carePlanning.purge(clientId, tx)),
          };
          const rooms = await this.#ports.rooms.purge(clientId, tx);
          const appointments = await this.#ports.scheduling.purge(clientId, tx);
          const groupAlerts = await this.#ports.groups.purge(clientId, tx);
          await this.#model.update(
            { status: 'purged', purged_at: now },
            { where: { client_id: clientId, status: 'approved' }, transaction: tx },
          );
          const rows = Object.values(clinical).reduce((a, b) => a + b, 0);
          await this.#audit.record(
            {
              actorId: null,
              action: 'data_rights.record_purged',
              targetType: 'user',
              targetId: clientId,
              subjectId: clientId,
              details: {
                clinicalRows: rows,
                roomRows: rooms,
                appointmentsDeleted: appointments,
                groupAlerts,
              },
            },
            tx,
          );
        });
        purged += 1;
      } catch (error) {
        this.#logger.error({ err: error, clientId }, 'retention purge failed for one record');
      }
    }
    if (purged > 0) this.#logger.info({ purged }, 'restricted records purged after retention');
    return purged;
  }
}
