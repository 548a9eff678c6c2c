import { Op, type Sequelize } from 'sequelize';
import type { AuditTrail } from '../audit';
import type { Clock } from '../shared/clock';
import { AppError, phrase } from '../shared/errors';
import type { FieldCipher } from '../shared/field-encryption';
import { newId } from '../shared/ids';
import type { ErasureModel, ErasureRequestRow, ErasureStatus } from './data-rights.model';
import { canDecideErasure, canRequestErasure } from './data-rights.policy';
import type { DataRightsActor, DataRightsPorts, OutboxPort } from './data-rights.types';

export interface ErasureRequest {
  readonly id: string;
  readonly clientId: string;
  readonly status: ErasureStatus;
  readonly requestedAt: Date;
  readonly decidedAt: Date | null;
  readonly decidedBy: string | null;
  readonly decisionReason: string | null;
  readonly purgeAfter: Date | null;
  readonly purgedAt: Date | null;
}

/** What a client must type to confirm, so a stray click erases nothing. */
export const ERASURE_CONFIRMATION = 'ERASE MY ACCOUNT';

const REASON_MIN = 5;
const REASON_MAX = 1000;

/** Adds whole calendar years in UTC (29 February lands on 1 March in a common year). */
export function addYears(date: Date, years: number): Date {
  const out = new Date(date.getTime());
  out.setUTCFullYear(out.getUTCFullYear() + years);
  return out;
}

/**
 * Erasure requests (data rights, issue 9): a client asks, an admin approves or declines with a
 * reason, and approval removes what may go now and restricts what must stay (see README.md here).
 * Everything is audited with ids and counts only — the audit trail is the legal evidence and outlives
 * the record it describes.
 */
export class ErasureService {
  readonly #sequelize: Sequelize;
  readonly #model: ErasureModel;
  readonly #ports: DataRightsPorts;
  readonly #audit: AuditTrail;
  readonly #cipher: FieldCipher;
  readonly #clock: Clock;
  readonly #retentionYears: number;
  readonly #outbox: OutboxPort;
  readonly #publicUrl: string;

  constructor(deps: {
    sequelize: Sequelize;
    model: ErasureModel;
    ports: DataRightsPorts;
    audit: AuditTrail;
    cipher: FieldCipher;
    clock: Clock;
    retentionYears: number;
    outbox: OutboxPort;
    publicUrl: string;
  }) {
    this.#sequelize = deps.sequelize;
    this.#model = deps.model;
    this.#ports = deps.ports;
    this.#audit = deps.audit;
    this.#cipher = deps.cipher;
    this.#clock = deps.clock;
    this.#retentionYears = deps.retentionYears;
    this.#outbox = deps.outbox;
    this.#publicUrl = deps.publicUrl;
  }

  #toRequest(p: ErasureRequestRow): ErasureRequest {
    return {
      id: p.id,
      clientId: p.client_id,
      status: p.status,
      requestedAt: new Date(p.requested_at),
      decidedAt: p.decided_at ? new Date(p.decided_at) : null,
      decidedBy: p.decided_by,
      decisionReason: p.decision_reason_enc
        ? this.#cipher.decrypt(p.decision_reason_enc, `erasure_requests.decision_reason:${p.id}`)
        : null,
      purgeAfter: p.purge_after ? new Date(p.purge_after) : null,
      purgedAt: p.purged_at ? new Date(p.purged_at) : null,
    };
  }

  /** The client's requests, newest first. */
  async ofClient(clientId: string): Promise<ErasureRequest[]> {
    const rows = await this.#model.findAll({
      where: { client_id: clientId },
      order: [['requested_at', 'DESC']],
    });
    return rows.map((r) => this.#toRequest(r.get({ plain: true })));
  }

  /** How many requests wait for an admin's decision (the overview shows it; no names, no reasons). */
  pendingCount(): Promise<number> {
    return this.#model.count({ where: { status: 'pending' } });
  }

  /** The admin's queue: pending first (oldest first), then the last decisions. */
  async queue(actor: DataRightsActor): Promise<{ pending: ErasureRequest[]; decided: ErasureRequest[] }> {
    if (!actor.roles.includes('admin')) throw new AppError('data_rights.forbidden', 'forbidden');
    const pending = await this.#model.findAll({
      where: { status: 'pending' },
      order: [['requested_at', 'ASC']],
    });
    const decided = await this.#model.findAll({
      where: { status: { [Op.ne]: 'pending' } },
      order: [['decided_at', 'DESC']],
      limit: 50,
    });
    return {
      pending: pending.map((r) => this.#toRequest(r.get({ plain: true }))),
      decided: decided.map((r) => this.#toRequest(r.get({ plain: true }))),
    };
  }

  async request(actor: DataRightsActor, confirmation: string): Promise<ErasureRequest> {
    if (!canRequestErasure(actor)) {
      throw new AppError(
        'data_rights.forbidden',
        'forbidden',
        phrase('your-data:problem.clientsOnlyErasure'),
      );
    }
    if (confirmation.trim() !== ERASURE_CONFIRMATION) {
      throw new AppError(
        'data_rights.confirmation',
        'bad_request',
        phrase('your-data:problem.typeConfirmation', { phrase: ERASURE_CONFIRMATION }),
      );
    }
    const now = this.#clock.now();
    const id = newId();
    // Looked up before the transaction (one pool connection at a time on SQLite).
    const admins = (await this.#ports.people.list()).filter(
      (u) => u.status === 'active' && u.roles.includes('admin') && u.id !== actor.id,
    );
    await this.#sequelize.transaction(async (tx) => {
      const open = await this.#model.findOne({
        where: { client_id: actor.id, status: 'pending' },
        transaction: tx,
      });
      if (open) {
        throw new AppError(
          'data_rights.already_requested',
          'conflict',
          phrase('your-data:problem.alreadyRequested'),
        );
      }
      await this.#model.create(
        {
          id,
          client_id: actor.id,
          status: 'pending',
          requested_at: now,
          decided_at: null,
          decided_by: null,
          decision_reason_enc: null,
          purge_after: null,
          purged_at: null,
        },
        { transaction: tx },
      );
      await this.#audit.record(
        {
          actorId: actor.id,
          action: 'data_rights.erasure_requested',
          targetType: 'erasure_request',
          targetId: id,
          subjectId: actor.id,
          ip: actor.ip ?? null,
        },
        tx,
      );
      // Admins learn that a request waits; the email names nobody (who asked is on the page).
      for (const admin of admins) {
        await this.#outbox.enqueue(
          {
            to: admin.email,
            subject: 'An erasure request is waiting for review',
            text: `A client has asked for their data to be erased. Please review the request:\n${this.#publicUrl}/admin/data-rights\n`,
            idempotencyKey: `data-rights:erasure-request:${id}:${admin.id}`,
          },
          tx,
        );
      }
    });
    return (await this.byId(id))!;
  }

  async byId(id: string): Promise<ErasureRequest | null> {
    const row = await this.#model.findByPk(id);
    return row ? this.#toRequest(row.get({ plain: true })) : null;
  }

  #reason(input: string): string {
    const reason = input.trim();
    if (reason.length < REASON_MIN || reason.length > REASON_MAX) {
      throw new AppError(
        'data_rights.reason',
        'bad_request',
        phrase('your-data:problem.reason', { min: REASON_MIN, max: REASON_MAX }),
      );
    }
    return reason;
  }

  async #pending(actor: DataRightsActor, id: string): Promise<ErasureRequest> {
    const request = await this.byId(id);
    // One answer for "no such request" and "not yours to decide": nothing about others leaks.
    if (!request || !canDecideErasure(actor, request.clientId)) {
      throw new AppError('data_rights.not_found', 'not_found', phrase('your-data:problem.noSuchRequest'));
    }
    if (request.status !== 'pending') {
      throw new AppError(
        'data_rights.already_decided',
        'conflict',
        phrase('your-data:problem.alreadyDecided'),
      );
    }
    return request;
  }

  async decline(actor: DataRightsActor, id: string, reasonInput: string): Promise<void> {
    if (!actor.roles.includes('admin')) throw new AppError('data_rights.forbidden', 'forbidden');
    const reason = this.#reason(reasonInput);
    const request = await this.#pending(actor, id);
    const now = this.#clock.now();
    await this.#sequelize.transaction(async (tx) => {
      const [count] = await this.#model.update(
        {
          status: 'declined',
          decided_at: now,
          decided_by: actor.id,
          decision_reason_enc: this.#cipher.encrypt(reason, `erasure_requests.decision_reason:${id}`),
        },
        { where: { id, status: 'pending' }, transaction: tx },
      );
      if (count === 0) throw new AppError('data_rights.already_decided', 'conflict');
      await this.#audit.record(
        {
          actorId: actor.id,
          action: 'data_rights.erasure_declined',
          targetType: 'erasure_request',
          targetId: id,
          subjectId: request.clientId,
          ip: actor.ip ?? null,
        },
        tx,
      );
    });
  }

  /**
   * Approval, all in one transaction (all or nothing): the account is closed and pseudonymised,
   * the client's message threads and session chat deleted, upcoming appointments cancelled, and the
   * clinical record restricted until `CLINICAL_RETENTION_YEARS` from now. After commit: attachment
   * files are deleted and every session of the account ends.
   */
  async approve(actor: DataRightsActor, id: string, reasonInput: string): Promise<ErasureRequest> {
    if (!actor.roles.includes('admin')) throw new AppError('data_rights.forbidden', 'forbidden');
    const reason = this.#reason(reasonInput);
    const request = await this.#pending(actor, id);
    const clientId = request.clientId;
    const now = this.#clock.now();
    const purgeAfter = addYears(now, this.#retentionYears);
    const p = this.#ports;
    const removed = await this.#sequelize.transaction(async (tx) => {
      const [count] = await this.#model.update(
        {
          status: 'approved',
          decided_at: now,
          decided_by: actor.id,
          decision_reason_enc: this.#cipher.encrypt(reason, `erasure_requests.decision_reason:${id}`),
          purge_after: purgeAfter,
        },
        { where: { id, status: 'pending' }, transaction: tx },
      );
      if (count === 0) throw new AppError('data_rights.already_decided', 'conflict');
      const appointmentIds = await p.scheduling.appointmentIdsOf(clientId, tx);
      const messages = await p.messaging.erase(clientId, tx);
      const chat = await p.rooms.eraseChat(clientId, appointmentIds, tx);
      const cancelled = await p.scheduling.cancelUpcoming(clientId, actor.id, now, tx);
      const reasons = await p.scheduling.eraseReasons(clientId, now, tx);
      const memberships = await p.groups.erase(clientId, now, tx);
      await p.clinical.restrict(clientId, 'erasure', now, purgeAfter, tx);
      await p.accountErasure.erase(clientId, now, tx);
      await this.#audit.record(
        {
          actorId: actor.id,
          action: 'data_rights.erasure_approved',
          targetType: 'erasure_request',
          targetId: id,
          subjectId: clientId,
          ip: actor.ip ?? null,
          details: {
            threadsDeleted: messages.threads,
            messagesDeleted: messages.messages,
            attachmentsDeleted: messages.attachments,
            chatDeleted: chat,
            appointmentsCancelled: cancelled,
            bookingReasonsDeleted: reasons,
            groupMembershipsPseudonymised: memberships,
            purgeAfter: purgeAfter.toISOString(),
          },
        },
        tx,
      );
      return messages;
    });
    await removed.removeFiles();
    await p.accountErasure.signOutEverywhere(clientId);
    return (await this.byId(id))!;
  }
}
