import { MEASURES, NOTE_TEMPLATES } from '../clinical';
import type { SubjectData } from './data-rights.types';
import { careSummarySections } from './care-summary';
import { esc, table, when } from './html-parts';

/**
 * summary.html: the export read by a person. Self-contained (one file, styles inline in a <style>
 * element, no scripts, no images, no links out), so it opens offline years later and cannot call
 * home. Every value is escaped: the record holds free text by the client and their therapist.
 */
const STYLE = `body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b1f24;line-height:1.45}
h1{color:#0b5d57}h2{border-bottom:2px solid #0b5d57;padding-bottom:.2rem;margin-top:2.2rem}
table{border-collapse:collapse;width:100%;font-size:.92rem}th,td{border:1px solid #c9d1d9;padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:#eef6f5}.empty{color:#57606a;font-style:italic}.note{border:1px solid #c9d1d9;padding:.6rem 1rem;margin:.8rem 0}
.meta{color:#57606a;font-size:.9rem}pre{white-space:pre-wrap;font-family:inherit;margin:.2rem 0}`;

export function buildSummaryHtml(data: SubjectData): string {
  const c = data.client;
  const name = (id: string) => (id === c.id ? c.displayName : (data.names.get(id) ?? 'Someone'));
  const sections: string[] = [];

  sections.push(
    `<h2>Profile</h2>${table(
      ['Field', 'Value'],
      [
        ['Name shown to others', esc(c.displayName)],
        ['Full name', esc(c.fullName ?? '')],
        ['Email', esc(c.email)],
        ['Time zone', esc(c.timeZone)],
        ['Language', esc(c.language)],
        ['Account created', when(c.createdAt)],
      ],
      '',
    )}`,
  );

  sections.push(
    `<h2>Appointments</h2>${table(
      ['Start', 'Type', 'Therapist', 'Status', 'Format', 'Your reason'],
      data.appointments.map((a) => [
        when(a.start),
        esc(a.typeName),
        esc(name(a.therapistId)),
        esc(a.status),
        esc(a.format),
        esc(a.reason ?? ''),
      ]),
      'No appointments.',
    )}`,
  );

  sections.push(
    `<h2>Questionnaires and scores</h2>${table(
      ['Date', 'Questionnaire', 'Score', 'Severity', 'Answers'],
      data.clinical.measures.map((m) => [
        when(m.submittedAt),
        esc(MEASURES[m.measure].name),
        `${m.total} / ${MEASURES[m.measure].maxScore}`,
        esc(m.severityLabel),
        esc(m.answers.join(', ')),
      ]),
      'No questionnaires completed.',
    )}`,
  );

  const intake = data.clinical.intake;
  sections.push(
    `<h2>Intake</h2>${
      intake
        ? table(
            ['Question', 'Your answer'],
            [
              ['Submitted', when(intake.submittedAt)],
              ['Emergency contact', esc(`${intake.emergencyContactName} ${intake.emergencyContactPhone}`)],
              ['Location', esc(intake.location)],
              ['Reasons for seeking care', `<pre>${esc(intake.reasons)}</pre>`],
              ['Goals', `<pre>${esc(intake.goals)}</pre>`],
            ],
            '',
          )
        : '<p class="empty">No intake form on file.</p>'
    }`,
  );

  const notes = data.clinical.notes.map((n) => {
    const parts = NOTE_TEMPLATES[n.template]
      .map((s) => `<h4>${esc(s.label)}</h4><pre>${esc(n.body[s.key] ?? '')}</pre>`)
      .join('');
    const addenda = n.addenda
      .map(
        (a) =>
          `<h4>Addendum ${when(a.createdAt)} by ${esc(name(a.authorId))}</h4><p class="meta">Reason: ${esc(a.reason)}</p><pre>${esc(a.body)}</pre>`,
      )
      .join('');
    return `<div class="note"><p class="meta">Signed ${when(n.signedAt)} by ${esc(name(n.authorId))}</p>${parts}${addenda}</div>`;
  });
  sections.push(
    `<h2>Session notes</h2><p class="meta">Signed progress notes and their addenda. Psychotherapy (process) notes kept separately by your therapist are not part of this export.</p>${
      notes.length ? notes.join('\n') : '<p class="empty">No signed notes.</p>'
    }`,
  );

  sections.push(...careSummarySections(data, name));

  sections.push(
    `<h2>Messages</h2>${table(
      ['Sent', 'From', 'Message'],
      data.messaging.messages.map((m) => [
        when(m.createdAt),
        esc(name(m.senderId)),
        m.body === null ? '<span class="empty">(withdrawn)</span>' : `<pre>${esc(m.body)}</pre>`,
      ]),
      'No messages.',
    )}`,
  );

  sections.push(
    `<h2>Session chat</h2>${table(
      ['Sent', 'From', 'Message'],
      data.chat.map((m) => [when(m.createdAt), esc(name(m.senderId)), `<pre>${esc(m.body)}</pre>`]),
      'No chat messages.',
    )}`,
  );

  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Your record at ${esc(data.clinicName)}</title><style>${STYLE}</style></head>
<body><h1>Your record at ${esc(data.clinicName)}</h1>
<p class="meta">Prepared ${when(data.generatedAt)} for ${esc(c.displayName)}. The same information is in the CSV files (for spreadsheets) and in fhir-bundle.json (for other health systems).</p>
${sections.join('\n')}
</body></html>
`;
}
