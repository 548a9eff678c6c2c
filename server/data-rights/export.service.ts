import { Readable } from 'node:stream';
import { ZipFile } from 'yazl';
import type { AuditTrail } from '../audit';
import type { Clock } from '../shared/clock';
import { AppError, phrase } from '../shared/errors';
import { newId } from '../shared/ids';
import { buildCsvFiles } from './csv-files';
import { canExportOwnRecord } from './data-rights.policy';
import type { DataRightsActor, DataRightsPorts, SubjectData } from './data-rights.types';
import { buildFhirBundle } from './fhir-bundle';
import { buildSummaryHtml } from './summary-html';

export interface RecordExport {
  readonly filename: string;
  /** The ZIP, produced as it is read (yazl streams the deflate), so a large record never sits whole in memory twice. */
  readonly stream: Readable;
}

/**
 * A client's copy of their record (data rights, issue 9): summary.html, CSV files and a FHIR R4
 * bundle in one ZIP. Only ever the signed-in client's own record: the id comes from the session,
 * never from the request. Each export is audited (ids and counts only).
 */
export class ExportService {
  readonly #ports: DataRightsPorts;
  readonly #audit: AuditTrail;
  readonly #clock: Clock;
  readonly #clinicName: () => Promise<string>;

  constructor(deps: {
    ports: DataRightsPorts;
    audit: AuditTrail;
    clock: Clock;
    clinicName: () => Promise<string>;
  }) {
    this.#ports = deps.ports;
    this.#audit = deps.audit;
    this.#clock = deps.clock;
    this.#clinicName = deps.clinicName;
  }

  /** Gathers the client's record, opened, from each feature. */
  async collect(clientId: string): Promise<SubjectData> {
    const p = this.#ports;
    const client = await p.people.byId(clientId);
    if (!client) throw new AppError('data_rights.not_found', 'not_found');
    const appointments = await p.scheduling.exportOf(clientId);
    const [clinical, care, messaging, chat] = await Promise.all([
      p.clinical.exportOf(clientId),
      p.carePlanning.exportOf(clientId),
      p.messaging.exportOf(clientId),
      p.rooms.chatOf(
        clientId,
        appointments.map((a) => a.id),
      ),
    ]);
    const otherIds = new Set<string>([
      ...appointments.map((a) => a.therapistId),
      ...messaging.messages.map((m) => m.senderId),
      ...chat.map((m) => m.senderId),
      ...clinical.notes.flatMap((n) => [n.authorId, ...n.addenda.map((a) => a.authorId)]),
      ...care.plans.map((plan) => plan.therapistId),
      ...care.diagnoses.map((d) => d.recordedBy),
    ]);
    otherIds.delete(clientId);
    const names = new Map<string, string>();
    for (const id of otherIds) names.set(id, (await p.people.byId(id))?.displayName ?? 'Former staff member');
    return {
      generatedAt: this.#clock.now(),
      clinicName: await this.#clinicName(),
      client,
      names,
      appointments,
      clinical,
      care,
      messaging,
      chat,
      ...(p.billing ? { billing: await p.billing.exportOf(clientId) } : {}),
    };
  }

  async export(actor: DataRightsActor): Promise<RecordExport> {
    if (!canExportOwnRecord(actor)) {
      throw new AppError('data_rights.forbidden', 'forbidden', phrase('your-data:problem.clientsOnlyExport'));
    }
    const data = await this.collect(actor.id);
    const exportId = newId();
    const zip = new ZipFile();
    const mtime = data.generatedAt;
    const add = (name: string, content: Buffer | string) =>
      zip.addBuffer(Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8'), name, { mtime });
    add('summary.html', buildSummaryHtml(data));
    for (const [name, content] of Object.entries(buildCsvFiles(data))) add(name, content);
    add('fhir-bundle.json', `${JSON.stringify(buildFhirBundle(data, exportId), null, 2)}\n`);
    add('README.txt', README);
    zip.end();
    await this.#audit.record({
      actorId: actor.id,
      action: 'data_rights.exported',
      targetType: 'record_export',
      targetId: exportId,
      subjectId: actor.id,
      ip: actor.ip ?? null,
      details: {
        appointments: data.appointments.length,
        measures: data.clinical.measures.length,
        notes: data.clinical.notes.length,
        diagnoses: data.care.diagnoses.length,
        plans: data.care.plans.length,
        homework: data.care.homework.length,
        safetyPlans: data.care.safetyPlans.length,
        messages: data.messaging.messages.length,
        chat: data.chat.length,
      },
    });
    const day = data.generatedAt.toISOString().slice(0, 10);
    return {
      filename: `haven-record-${day}.zip`,
      stream: Readable.from(zip.outputStream, { objectMode: false }),
    };
  }
}

const README = `Your record, exported from Haven.

summary.html      Everything below, readable in any web browser (works offline).
profile.csv       Your account details.
appointments.csv  Your appointments, with any reason you gave when booking.
measures.csv      Questionnaires you completed (PHQ-9, GAD-7) with scores and answers.
messages.csv      Secure messages in your conversations with the clinic.
session-chat.csv  Chat typed during live sessions.
notes.csv         Signed session notes and their addenda (one row per section).
diagnoses.csv     Your diagnoses (ICD-10-CM codes) with their start and end dates.
care-plan.csv     Signed versions of your treatment plan: goals and objectives, one row each.
homework.csv      Exercises between sessions and your answers (one row per answer).
safety-plan.csv   Every version of your safety plan, one row per section.
fhir-bundle.json  The same record as a FHIR R4 Bundle (type "collection"), for other health systems.

Psychotherapy (process) notes that a therapist keeps separately are not included.
Times are in UTC (ISO 8601).
`;
