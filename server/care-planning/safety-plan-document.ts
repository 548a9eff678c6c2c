import { escapeHtml } from '../shared/html';
import { SAFETY_PLAN_SECTIONS, type SafetyPlan } from './care-planning.types';

const esc = escapeHtml;

/**
 * The safety plan as one self-contained HTML file the client keeps on their phone: readable offline
 * and signed out, printable, with no scripts, images or links out (a strict CSP in the file itself).
 * Everything the client or therapist wrote is escaped.
 */
export function safetyPlanDocument(
  plan: SafetyPlan,
  options: { readonly clinicName: string; readonly crisisResources: string },
): string {
  const sections = SAFETY_PLAN_SECTIONS.map(
    (s, i) =>
      `<section><h2>${i + 1}. ${esc(s.label)}</h2><p>${esc(plan.body[s.key] || '—').replace(/\n/g, '<br>')}</p></section>`,
  ).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>My safety plan</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:1rem auto;padding:0 1rem;line-height:1.5;color:#1b1f24}
h1{font-size:1.5rem}h2{font-size:1.05rem;margin:1.2rem 0 .3rem;color:#0b5d57}
.help{border:2px solid #b42318;padding:.6rem 1rem;border-radius:.4rem}.meta{color:#57606a;font-size:.9rem}</style></head>
<body><h1>My safety plan</h1>
<p class="help"><strong>If you are in danger now:</strong><br>${esc(options.crisisResources).replace(/\n/g, '<br>')}</p>
${sections}
<p class="meta">Version ${plan.version}, ${plan.createdAt.toISOString().slice(0, 10)}, ${esc(options.clinicName)}. Keep this file private: it holds personal information.</p>
</body></html>
`;
}
