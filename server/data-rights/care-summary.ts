import { EXERCISES, SAFETY_PLAN_SECTIONS, answerKeys } from '../care-planning';
import { MEASURES } from '../clinical';
import { csv } from './csv-writer';
import type { SubjectData } from './data-rights.types';
import { esc, table, when } from './html-parts';

/** Care planning's part of the export: its CSV files and its sections of summary.html. */

const objectiveText = (
  o: SubjectData['care']['plans'][number]['body']['goals'][number]['objectives'][number],
) =>
  o.measure && o.below !== null
    ? `${o.text} (${MEASURES[o.measure].name} below ${o.below}${o.targetDate ? ` by ${o.targetDate}` : ''})`
    : `${o.text}${o.targetDate ? ` (by ${o.targetDate})` : ''}`;

/** An answer's label: the exercise field's label, with the entry number for logs. */
function answerLabel(exercise: keyof typeof EXERCISES, key: string): string {
  const [field, row] = key.split('.');
  const label = EXERCISES[exercise].fields.find((f) => f.key === field)?.label ?? key;
  return row === undefined ? label : `Entry ${Number(row) + 1}: ${label}`;
}

export function careCsvFiles(data: SubjectData, name: (id: string) => string): Record<string, Buffer> {
  const { care } = data;
  return {
    'diagnoses.csv': csv(
      ['id', 'code', 'description', 'rank', 'start', 'end', 'recorded_by'],
      care.diagnoses.map((d) => [
        d.id,
        d.code,
        d.description,
        d.rank,
        d.onsetOn,
        d.endedOn,
        name(d.recordedBy),
      ]),
    ),
    'care-plan.csv': csv(
      [
        'plan_id',
        'version',
        'status',
        'signed_at',
        'client_signed_at',
        'goal',
        'goal_in_your_words',
        'goal_status',
        'objective',
        'interventions',
      ],
      care.plans.flatMap((p) =>
        p.body.goals.flatMap((g) =>
          (g.objectives.length ? g.objectives : [null]).map((o) => [
            p.id,
            p.version,
            p.status,
            p.signedAt,
            p.clientSignature?.at ?? null,
            g.clinicianWords,
            g.clientWords,
            g.status,
            o ? objectiveText(o) : '',
            g.interventions.join('; '),
          ]),
        ),
      ),
    ),
    'homework.csv': csv(
      ['id', 'exercise', 'due', 'status', 'completed_at', 'question', 'answer'],
      care.homework.flatMap((h) =>
        answerKeys(EXERCISES[h.exercise])
          .filter((k) => h.answers[k])
          .map((k) => [
            h.id,
            EXERCISES[h.exercise].name,
            h.dueOn,
            h.status,
            h.completedAt,
            answerLabel(h.exercise, k),
            h.answers[k],
          ]),
      ),
    ),
    'safety-plan.csv': csv(
      ['version', 'saved_at', 'section', 'text'],
      care.safetyPlans.flatMap((s) =>
        SAFETY_PLAN_SECTIONS.map((section) => [s.version, s.createdAt, section.label, s.body[section.key]]),
      ),
    ),
  };
}

export function careSummarySections(data: SubjectData, name: (id: string) => string): string[] {
  const { care } = data;
  const plans = care.plans.map((p) => {
    const goals = p.body.goals
      .map(
        (g) =>
          `<h4>${esc(g.clinicianWords || g.clientWords)}</h4>${g.clientWords ? `<p class="meta">In your words: ${esc(g.clientWords)}</p>` : ''}<ul>${g.objectives
            .map((o) => `<li>${esc(objectiveText(o))}</li>`)
            .join(
              '',
            )}</ul>${g.interventions.length ? `<p class="meta">Approaches: ${esc(g.interventions.join(', '))}</p>` : ''}`,
      )
      .join('');
    const signed = `Version ${p.version}, signed ${when(p.signedAt)} by ${esc(name(p.therapistId))}${p.clientSignature ? `; you signed ${when(p.clientSignature.at)}` : ''}${p.status === 'superseded' ? ' (replaced by a later version)' : ''}`;
    return `<div class="note"><p class="meta">${signed}</p><h4>Presenting problems</h4><pre>${esc(p.body.presentingProblems)}</pre>${goals}<p class="meta">Sessions: ${esc(p.body.sessionFrequency)}; expected duration: ${esc(p.body.expectedDuration)}</p></div>`;
  });
  const homework = care.homework.map((h) => {
    const rows = answerKeys(EXERCISES[h.exercise])
      .filter((k) => h.answers[k])
      .map((k) => [esc(answerLabel(h.exercise, k)), `<pre>${esc(h.answers[k])}</pre>`]);
    return `<div class="note"><p class="meta">${esc(EXERCISES[h.exercise].name)}, due ${esc(h.dueOn)} (${esc(h.status.replace('_', ' '))})</p>${h.instructions ? `<pre>${esc(h.instructions)}</pre>` : ''}${table(['Question', 'Your answer'], rows, 'No answers yet.')}</div>`;
  });
  const safety = care.safetyPlans[0];
  return [
    `<h2>Diagnoses</h2>${table(
      ['Code', 'Description', 'Primary or secondary', 'From', 'Until'],
      care.diagnoses.map((d) => [
        esc(d.code),
        esc(d.description),
        esc(d.rank),
        esc(d.onsetOn),
        esc(d.endedOn ?? 'current'),
      ]),
      'No diagnoses recorded.',
    )}`,
    `<h2>Treatment plan</h2>${plans.length ? plans.join('\n') : '<p class="empty">No signed treatment plan.</p>'}`,
    `<h2>Exercises between sessions</h2>${homework.length ? homework.join('\n') : '<p class="empty">No exercises.</p>'}`,
    `<h2>Safety plan</h2>${
      safety
        ? `<p class="meta">Version ${safety.version}, ${when(safety.createdAt)}${care.safetyPlans.length > 1 ? ` (earlier versions are in safety-plan.csv)` : ''}</p>${table(
            ['Section', 'Your plan'],
            SAFETY_PLAN_SECTIONS.map((s) => [esc(s.label), `<pre>${esc(safety.body[s.key])}</pre>`]),
            '',
          )}`
        : '<p class="empty">No safety plan.</p>'
    }`,
  ];
}
