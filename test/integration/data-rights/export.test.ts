import assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import type { Response } from 'superagent';
import yauzl from 'yauzl';
import { FakeClock } from '../../../server/shared/clock';
import { ensureAdmin, signIn } from '../../support/accounts';
import { startTestHaven, type TestHaven } from '../../support/test-haven';
import { seedDataRightsCast, type DataRightsCast } from './data-rights-fixtures';
import { auditEvents } from '../../support/audit-trail';

/** Every entry of a ZIP, decompressed, read with yauzl (checks the central directory and CRCs). */
async function unzip(bytes: Buffer): Promise<Map<string, Buffer>> {
  const zip = await yauzl.fromBufferPromise(bytes, { lazyEntries: true });
  const files = new Map<string, Buffer>();
  for await (const entry of zip.eachEntry()) {
    const stream = await zip.openReadStreamPromise(entry);
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    files.set(entry.fileName, Buffer.concat(chunks));
  }
  return files;
}

/** supertest body parser that keeps the ZIP as a Buffer. */
function binary(res: Response, done: (error: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => done(null, Buffer.concat(chunks)));
}

interface FhirEntry {
  fullUrl: string;
  resource: { resourceType: string; id: string } & Record<string, unknown>;
}

/** Every `{ reference: … }` anywhere inside a resource. */
function referencesIn(value: unknown, out: { reference: string; type?: string }[] = []) {
  if (Array.isArray(value)) for (const v of value) referencesIn(v, out);
  else if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (typeof o.reference === 'string')
      out.push({ reference: o.reference, type: o.type as string | undefined });
    for (const v of Object.values(o)) referencesIn(v, out);
  }
  return out;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('data rights: a client downloads their record', function () {
  this.timeout(60_000);
  let t: TestHaven;
  let cast: DataRightsCast;
  let files: Map<string, Buffer>;
  let zipBytes: Buffer;
  const clock = new FakeClock('2026-03-09T12:00:00Z');

  before(async () => {
    t = await startTestHaven({ clock });
    cast = await seedDataRightsCast(t.haven, clock);
    await ensureAdmin(t.haven);
    const session = await signIn(t.haven, cast.alice.person);
    const res = await session.agent.get('/account/data/export').buffer(true).parse(binary).expect(200);
    assert.equal(res.headers['content-type'], 'application/zip');
    assert.match(
      String(res.headers['content-disposition']),
      /^attachment; filename="haven-record-2026-03-11\.zip"$/,
    );
    assert.equal(res.headers['cache-control'], 'no-store');
    zipBytes = res.body as Buffer;
    files = await unzip(zipBytes);
  });
  after(async () => t?.stop());

  it('holds the summary, the CSV files (care planning’s and billing’s among them) and the FHIR bundle', () => {
    assert.deepEqual([...files.keys()].sort(), [
      'README.txt',
      'appointments.csv',
      'billing-charges.csv',
      'billing-invoices.csv',
      'billing-payments.csv',
      'care-plan.csv',
      'diagnoses.csv',
      'fhir-bundle.json',
      'homework.csv',
      'measures.csv',
      'messages.csv',
      'notes.csv',
      'profile.csv',
      'safety-plan.csv',
      'session-chat.csv',
      'summary.html',
    ]);
  });

  it('has a FHIR R4 collection bundle whose resources have ids and whose references resolve inside it', () => {
    const bundle = JSON.parse(files.get('fhir-bundle.json')!.toString('utf8')) as {
      resourceType: string;
      type: string;
      id: string;
      timestamp: string;
      entry: FhirEntry[];
    };
    assert.equal(bundle.resourceType, 'Bundle');
    assert.equal(bundle.type, 'collection');
    assert.match(bundle.id, UUID);
    assert.equal(bundle.timestamp, '2026-03-11T12:00:00.000Z');
    const byUrl = new Map<string, FhirEntry['resource']>();
    for (const entry of bundle.entry) {
      assert.equal(typeof entry.resource.resourceType, 'string');
      assert.match(entry.resource.id, UUID, `${entry.resource.resourceType} has an id`);
      assert.equal(entry.fullUrl, `urn:uuid:${entry.resource.id}`);
      assert.ok(!byUrl.has(entry.fullUrl), `duplicate ${entry.fullUrl}`);
      byUrl.set(entry.fullUrl, entry.resource);
    }
    const count = (type: string) => bundle.entry.filter((e) => e.resource.resourceType === type).length;
    assert.equal(count('Patient'), 1);
    assert.equal(count('Practitioner'), 1);
    assert.equal(count('Appointment'), 2);
    assert.equal(count('QuestionnaireResponse'), 2);
    assert.equal(count('Observation'), 2);
    let checked = 0;
    for (const entry of bundle.entry) {
      for (const ref of referencesIn(entry.resource)) {
        const target = byUrl.get(ref.reference);
        assert.ok(
          target,
          `${entry.resource.resourceType} refers to ${ref.reference}, which is in the bundle`,
        );
        assert.equal(target.resourceType, ref.type, 'the reference names its target type correctly');
        checked += 1;
      }
    }
    assert.ok(checked >= 12, `references checked: ${checked}`);

    const patient = bundle.entry.find((e) => e.resource.resourceType === 'Patient')!.resource;
    assert.equal(patient.id, cast.alice.user.id);
    const phq = bundle.entry.find(
      (e) => e.resource.resourceType === 'Observation' && JSON.stringify(e.resource.code).includes('44261-6'),
    )!.resource as unknown as { valueInteger: number; status: string; subject: { reference: string } };
    assert.equal(phq.valueInteger, 6, 'PHQ-9 total of 1+2+1+0+1+0+1+0+0');
    assert.equal(phq.status, 'final');
    assert.equal(phq.subject.reference, `urn:uuid:${cast.alice.user.id}`);
    const booked = bundle.entry.filter((e) => e.resource.resourceType === 'Appointment');
    assert.deepEqual(booked.map((e) => e.resource.status).sort(), ['booked', 'booked']);
  });

  it('has CSV files that parse, with the client’s own rows', () => {
    const csv = (name: string) =>
      parse(files.get(name)!, { columns: true, bom: true, skip_empty_lines: true }) as Record<
        string,
        string
      >[];
    const profile = csv('profile.csv');
    assert.equal(profile.length, 1);
    assert.equal(profile[0]!.id, cast.alice.user.id);
    assert.equal(profile[0]!.display_name, 'Alice Anders');
    assert.equal(profile[0]!.email, cast.alice.person.email);

    const appointments = csv('appointments.csv');
    assert.deepEqual(
      appointments.map((a) => a.id).sort(),
      [cast.alice.pastAppointmentId, cast.alice.upcomingAppointmentId].sort(),
    );
    assert.ok(appointments.some((a) => a.reason === 'ALICE-booking-reason'));
    assert.ok(appointments.every((a) => a.therapist === 'Dr Theo Rivera'));

    const measures = csv('measures.csv');
    assert.deepEqual(measures.map((m) => `${m.measure}:${m.total}`).sort(), ['GAD-7:9', 'PHQ-9:6']);

    const messages = csv('messages.csv');
    assert.deepEqual(messages.map((m) => m.body).sort(), [
      'ALICE-message-from-client',
      'ALICE-message-from-therapist',
    ]);
    assert.equal(messages.find((m) => m.body === 'ALICE-message-from-client')!.attachments, 'ALICE-scan.png');

    const chat = csv('session-chat.csv');
    assert.deepEqual(chat.map((c) => c.body).sort(), ['ALICE-chat-from-client', 'ALICE-chat-from-therapist']);

    const notes = csv('notes.csv');
    assert.ok(notes.some((n) => n.section === 'subjective' && n.text === 'ALICE-note-subjective'));
    assert.ok(notes.some((n) => n.kind === 'addendum' && n.text === 'ALICE-addendum-body'));
  });

  it('has a self-contained summary.html (no scripts, no external resources)', () => {
    const html = files.get('summary.html')!.toString('utf8');
    assert.match(html, /^<!doctype html>/);
    assert.ok(html.includes('Alice Anders'));
    assert.ok(html.includes('ALICE-note-subjective'));
    assert.ok(html.includes('ALICE-message-from-therapist'));
    assert.doesNotMatch(html, /<script|<link|<img|<iframe|src=|href=|url\(|@import/i);
  });

  it('leaves out psychotherapy notes', () => {
    for (const [name, content] of files) {
      assert.ok(
        !content.toString('utf8').includes('PSYCHOTHERAPY-NOTE'),
        `${name} has no psychotherapy note`,
      );
    }
  });

  it('holds nothing of the other client (ids, name, email, any text)', () => {
    const b = cast.boris;
    const needles = [...b.ids, 'Boris', 'BORIS', b.person.email, b.psychotherapyNoteId, b.roomId];
    const everything = [zipBytes.toString('latin1'), ...[...files.values()].map((f) => f.toString('utf8'))];
    for (const needle of needles) {
      for (const haystack of everything)
        assert.ok(!haystack.includes(needle), `found ${needle} in Alice's export`);
    }
  });

  it('audits the export with ids and counts, never contents', async () => {
    const rows = await auditEvents(t.haven, { action: 'data_rights.exported' });
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.actorId, cast.alice.user.id);
    assert.equal(rows[0]!.subjectId, cast.alice.user.id);
    const details = JSON.parse(rows[0]!.details!) as Record<string, number>;
    assert.deepEqual(details, {
      appointments: 2,
      measures: 2,
      notes: 1,
      diagnoses: 0,
      plans: 0,
      homework: 0,
      safetyPlans: 0,
      messages: 2,
      chat: 2,
    });
  });

  it('is the signed-in client’s own record only: staff and visitors cannot download one', async () => {
    const therapist = await signIn(t.haven, cast.therapist);
    await therapist.agent.get('/account/data/export').expect(403);
    const admin = await signIn(t.haven, cast.admin);
    await admin.agent.get('/account/data/export').expect(403);
    await (await import('supertest')).default(t.haven.http).get('/account/data/export').expect(302);
    // Boris's download is Boris's: the route takes no id, so there is nothing to point at Alice.
    const boris = await signIn(t.haven, cast.boris.person);
    const res = await boris.agent.get('/account/data/export').buffer(true).parse(binary).expect(200);
    const borisFiles = await unzip(res.body as Buffer);
    const all = [...borisFiles.values()].map((f) => f.toString('utf8')).join('\n');
    assert.ok(all.includes('BORIS-message-from-client'));
    for (const needle of [...cast.alice.ids, 'ALICE', 'Alice']) assert.ok(!all.includes(needle), needle);
  });

  it('limits how often a client downloads (5 an hour)', async () => {
    const session = await signIn(t.haven, cast.alice.person);
    // One download already happened in `before`.
    for (let i = 0; i < 4; i += 1) {
      await session.agent.get('/account/data/export').buffer(true).parse(binary).expect(200);
    }
    const refused = await session.agent.get('/account/data/export').expect(429);
    assert.match(refused.text, /try again later/);
  });
});
