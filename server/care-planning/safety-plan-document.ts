import { escapeHtml } from '../shared/html';
import { SAFETY_PLAN_SECTIONS, type SafetyPlan, type SafetyPlanSection } from './care-planning.types';

/**
 * The file's words in the client's language (the transport takes them from the page's translator):
 * the client keeps this file offline, so it must read as the pages they use do, right to left in Arabic.
 */
export interface SafetyPlanWords {
  readonly lang: string;
  readonly dir: 'ltr' | 'rtl';
  readonly title: string;
  readonly inDanger: string;
  readonly sections: Readonly<Record<SafetyPlanSection, string>>;
  /** "1. Warning signs…": the step's number in the reader's digits with its heading. */
  readonly numbered: (n: number, label: string) => string;
  /** The line under the plan: version, date and clinic, and to keep the file private. */
  readonly footer: (version: number, createdAt: Date, clinicName: string) => string;
}

const esc = escapeHtml;

/**
 * The safety plan as one self-contained HTML file the client keeps on their phone: readable offline
 * and signed out, printable, with no scripts, images or links out (a strict CSP in the file itself).
 * Everything the client or therapist wrote is escaped.
 */
export function safetyPlanDocument(
  plan: SafetyPlan,
  options: { readonly clinicName: string; readonly crisisResources: string; readonly words: SafetyPlanWords },
): string {
  const w = options.words;
  const sections = SAFETY_PLAN_SECTIONS.map(
    (s, i) =>
      `<section><h2>${esc(w.numbered(i + 1, w.sections[s.key]))}</h2><p dir="auto">${esc(plan.body[s.key] || '—').replace(/\n/g, '<br>')}</p></section>`,
  ).join('\n');
  return `<!doctype html>
<html lang="${esc(w.lang)}" dir="${w.dir}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${esc(w.title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:1rem auto;padding:0 1rem;line-height:1.5;color:#1b1f24}
h1{font-size:1.5rem}h2{font-size:1.05rem;margin:1.2rem 0 .3rem;color:#0b5d57}
.help{border:2px solid #b42318;padding:.1rem 1rem;border-radius:.4rem}.meta{color:#57606a;font-size:.9rem}</style></head>
<body><h1>${esc(w.title)}</h1>
<div class="help"><p><strong>${esc(w.inDanger)}</strong></p>
<p dir="auto">${esc(options.crisisResources).replace(/\n/g, '<br>')}</p></div>
${sections}
<p class="meta">${esc(w.footer(plan.version, plan.createdAt, options.clinicName))}</p>
</body></html>
`;
}
