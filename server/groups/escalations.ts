import { DataTypes, Op, type Model, type ModelStatic, type Sequelize } from 'sequelize';
import type { User } from '../accounts';
import type { MailWords } from '../mail';
import type { Clock } from '../shared/clock';
import { AppError, phrase } from '../shared/errors';
import type { FieldCipher } from '../shared/field-encryption';
import { newId } from '../shared/ids';
import type { GroupsService } from './groups.service';
import type { AuditPort, GroupActor, OutboxPort, PeoplePort } from './groups.types';

interface EscalationRow {
  id: string;
  group_id: string;
  user_id: string;
  raised_by: string;
  reason_enc: string;
  created_at: Date;
  acknowledged_at: Date | null;
  acknowledged_by: string | null;
}

/** How long a facilitator's reason for an alert is, in characters. */
const ALERT_REASON = { min: 3, max: 1000 } as const;

/** An open alert as the on-call clinician sees it (they need the real name to help). */
export interface EscalationView {
  readonly id: string;
  readonly groupId: string;
  readonly groupTopic: string;
  readonly memberName: string;
  readonly memberEmail: string;
  readonly raisedBy: string;
  readonly reason: string;
  readonly createdAt: Date;
}

export interface EscalationSettings {
  /** Email of the on-call clinician's account; unset, or not a therapist: the clinic's admins are alerted. */
  readonly onCallEmail: string | undefined;
  readonly publicUrl: string;
}

/**
 * Escalation: a facilitator alerts the on-call clinician about a member, with one click and a
 * reason. The clinician sees the alert (with the member's real name) on their alerts page and
 * gets an email that says only that an alert is waiting. The reason is sealed at rest.
 */
export class Escalations {
  readonly #model: ModelStatic<Model<EscalationRow, EscalationRow>>;
  readonly #sequelize: Sequelize;
  readonly #groups: GroupsService;
  readonly #people: PeoplePort;
  readonly #cipher: FieldCipher;
  readonly #outbox: OutboxPort;
  readonly #audit: AuditPort;
  readonly #settings: EscalationSettings;
  readonly #clock: Clock;
  readonly #words: MailWords;

  constructor(deps: {
    sequelize: Sequelize;
    groups: GroupsService;
    people: PeoplePort;
    cipher: FieldCipher;
    outbox: OutboxPort;
    audit: AuditPort;
    settings: EscalationSettings;
    clock: Clock;
    /** The words of the alert email, per recipient language. */
    words: MailWords;
  }) {
    this.#sequelize = deps.sequelize;
    this.#groups = deps.groups;
    this.#people = deps.people;
    this.#cipher = deps.cipher;
    this.#outbox = deps.outbox;
    this.#audit = deps.audit;
    this.#settings = deps.settings;
    this.#clock = deps.clock;
    this.#words = deps.words;
    this.#model = deps.sequelize.define<Model<EscalationRow, EscalationRow>>(
      'PeerGroupEscalation',
      {
        id: { type: DataTypes.STRING(36), primaryKey: true },
        group_id: { type: DataTypes.STRING(36), allowNull: false },
        user_id: { type: DataTypes.STRING(36), allowNull: false },
        raised_by: { type: DataTypes.STRING(36), allowNull: false },
        reason_enc: { type: DataTypes.TEXT, allowNull: false },
        created_at: { type: DataTypes.DATE, allowNull: false },
        acknowledged_at: { type: DataTypes.DATE, allowNull: true },
        acknowledged_by: { type: DataTypes.STRING(36), allowNull: true },
      },
      { timestamps: false, underscored: true, tableName: 'peer_group_escalations' },
    );
  }

  /** Who is alerted: the on-call clinician if configured and a therapist, else every active admin. */
  async onCall(): Promise<User[]> {
    const everyone = (await this.#people.list()).filter((u) => u.status === 'active');
    const email = this.#settings.onCallEmail?.toLowerCase();
    const clinician = email
      ? everyone.find((u) => u.email.toLowerCase() === email && u.roles.includes('therapist'))
      : undefined;
    return clinician ? [clinician] : everyone.filter((u) => u.roles.includes('admin'));
  }

  async escalate(actor: GroupActor, groupId: string, memberId: string, reason: string): Promise<string> {
    const group = await this.#groups.group(groupId);
    if (!group.facilitatorIds.includes(actor.id)) {
      throw new AppError('groups.forbidden', 'forbidden', phrase('groups:problem.facilitatorAlerts'));
    }
    const member = await this.#groups.memberForManager(actor, groupId, memberId);
    const text = reason.trim();
    if (text.length < ALERT_REASON.min || text.length > ALERT_REASON.max) {
      throw new AppError(
        'groups.invalid_reason',
        'bad_request',
        phrase('groups:problem.alertReason', ALERT_REASON),
      );
    }
    const id = newId();
    const now = this.#clock.now();
    const recipients = await this.onCall();
    await this.#sequelize.transaction(async (tx) => {
      await this.#model.create(
        {
          id,
          group_id: groupId,
          user_id: member.userId,
          raised_by: actor.id,
          reason_enc: this.#cipher.encrypt(text, `peer_group_escalations.reason:${id}`),
          created_at: now,
          acknowledged_at: null,
          acknowledged_by: null,
        },
        { transaction: tx },
      );
      for (const person of recipients) {
        const t = this.#words(person.language);
        const url = `${this.#settings.publicUrl}/groups/alerts`;
        await this.#outbox.enqueue(
          {
            to: person.email,
            subject: t('email:escalation.subject'),
            text: `${t('email:escalation.body')}\n\n${t('email:escalation.signIn', { url })}\n`,
            language: person.language,
            idempotencyKey: `groups:escalation:${id}:${person.id}`,
          },
          tx,
        );
      }
    });
    await this.#audit.record({
      actorId: actor.id,
      action: 'group.escalated',
      targetType: 'peer_group_escalation',
      targetId: id,
      subjectId: member.userId,
      ip: actor.ip ?? null,
      details: { groupId, alerted: recipients.length },
    });
    return id;
  }

  /** Open alerts, for the people who are alerted (read is audited per alert). */
  async openFor(viewer: GroupActor): Promise<EscalationView[]> {
    if (!(await this.onCall()).some((u) => u.id === viewer.id)) {
      throw new AppError('groups.forbidden', 'forbidden', phrase('groups:problem.alertsOnCall'));
    }
    const rows = await this.#model.findAll({
      where: { acknowledged_at: { [Op.is]: null } },
      order: [['created_at', 'ASC']],
    });
    const views: EscalationView[] = [];
    for (const row of rows.map((r) => r.get({ plain: true }))) {
      const [member, raiser, group] = await Promise.all([
        this.#people.byId(row.user_id),
        this.#people.byId(row.raised_by),
        this.#groups.group(row.group_id),
      ]);
      views.push({
        id: row.id,
        groupId: row.group_id,
        groupTopic: group.topic,
        memberName: member?.displayName ?? 'A member',
        memberEmail: member?.email ?? '',
        raisedBy: raiser?.displayName ?? 'A facilitator',
        reason: this.#cipher.decrypt(row.reason_enc, `peer_group_escalations.reason:${row.id}`),
        createdAt: new Date(row.created_at),
      });
      await this.#audit.record({
        actorId: viewer.id,
        action: 'group.escalation.read',
        targetType: 'peer_group_escalation',
        targetId: row.id,
        subjectId: row.user_id,
        ip: viewer.ip ?? null,
      });
    }
    return views;
  }

  async acknowledge(viewer: GroupActor, id: string): Promise<void> {
    if (!(await this.onCall()).some((u) => u.id === viewer.id)) {
      throw new AppError('groups.forbidden', 'forbidden', phrase('groups:problem.alertsOnCall'));
    }
    const [count] = await this.#model.update(
      { acknowledged_at: this.#clock.now(), acknowledged_by: viewer.id },
      { where: { id, acknowledged_at: { [Op.is]: null } } },
    );
    if (count === 0)
      throw new AppError('groups.alert_not_found', 'not_found', phrase('groups:problem.noSuchAlert'));
    await this.#audit.record({
      actorId: viewer.id,
      action: 'group.escalation.acknowledged',
      targetType: 'peer_group_escalation',
      targetId: id,
      ip: viewer.ip ?? null,
    });
  }
}
