import assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import type { User } from '../../../server/accounts';
import { buildCsvFiles } from '../../../server/data-rights/csv-files';
import type { SubjectData } from '../../../server/data-rights/data-rights.types';
import { addYears } from '../../../server/data-rights/erasure.service';
import { buildFhirBundle } from '../../../server/data-rights/fhir-bundle';
import { buildSummaryHtml } from '../../../server/data-rights/summary-html';

const CLIENT = '11111111-1111-4111-8111-111111111111';
const THERAPIST = '22222222-2222-4222-8222-222222222222';
const at = new Date('2026-05-01T10:00:00Z');

function data(overrides: Partial<SubjectData> = {}): SubjectData {
  const client: User = {
    id: CLIENT,
    email: 'kim@example.org',
    displayName: 'Kim <b>Bold</b>',
    status: 'active',
    roles: ['client'],
    isDemo: false,
    createdAt: at,
    fullName: null,
    timeZone: 'UTC',
    language: 'en',
    emailVerified: true,
    twoFactorEnabled: false,
  };
  return {
    generatedAt: at,
    clinicName: 'Harbour & Co',
    client,
    names: new Map([[THERAPIST, 'Dr Lee']]),
    appointments: [],
    clinical: { measures: [], notes: [], intake: null },
    care: { diagnoses: [], plans: [], homework: [], safetyPlans: [] },
    messaging: { threads: [], messages: [], attachments: [] },
    chat: [],
    ...overrides,
  };
}

describe('data rights export files', () => {
  it('neutralises spreadsheet formulas in CSV cells and keeps the text', () => {
    const files = buildCsvFiles(
      data({
        chat: [
          { id: 'c1', roomId: 'r1', senderId: CLIENT, body: '=HYPERLINK("http://x","y")', createdAt: at },
          { id: 'c2', roomId: 'r1', senderId: THERAPIST, body: '-2+3', createdAt: at },
          { id: 'c3', roomId: 'r1', senderId: THERAPIST, body: 'fine, "quoted"\nnext line', createdAt: at },
        ],
      }),
    );
    const rows = parse(files['session-chat.csv']!, { columns: true }) as Record<string, string>[];
    assert.deepEqual(
      rows.map((r) => r.body),
      ['\'=HYPERLINK("http://x","y")', "'-2+3", 'fine, "quoted"\nnext line'],
    );
    assert.deepEqual(
      rows.map((r) => r.from),
      ['Kim <b>Bold</b>', 'Dr Lee', 'Dr Lee'],
    );
    assert.equal(rows[0]!.sent_at, '2026-05-01T10:00:00.000Z');
  });

  it('escapes every value in summary.html (the record holds free text)', () => {
    const html = buildSummaryHtml(
      data({
        chat: [
          { id: 'c1', roomId: 'r1', senderId: CLIENT, body: '<script>alert(1)</script>', createdAt: at },
        ],
      }),
    );
    assert.ok(!html.includes('<script>alert(1)'));
    assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
    assert.ok(html.includes('Kim &lt;b&gt;Bold&lt;/b&gt;'));
    assert.ok(html.includes('Harbour &amp; Co'));
  });

  it('builds a bundle with only a Patient when the record is empty', () => {
    const bundle = buildFhirBundle(data(), '33333333-3333-4333-8333-333333333333');
    assert.equal(bundle.type, 'collection');
    assert.deepEqual(
      bundle.entry.map((e) => [e.fullUrl, e.resource.resourceType]),
      [[`urn:uuid:${CLIENT}`, 'Patient']],
    );
  });

  it('counts the retention period in calendar years', () => {
    assert.equal(addYears(new Date('2026-03-11T12:00:00Z'), 7).toISOString(), '2033-03-11T12:00:00.000Z');
    assert.equal(addYears(new Date('2028-02-29T00:00:00Z'), 1).toISOString(), '2029-03-01T00:00:00.000Z');
  });
});
