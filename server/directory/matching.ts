import type { PractitionerProfile } from './directory.repository';

/** What a client told us at intake that matching can use. */
export interface MatchPreferences {
  readonly location: string;
  readonly topics?: readonly string[];
  readonly language?: string;
  readonly format?: string;
  readonly approach?: string;
  readonly times?: readonly string[];
}

/**
 * One reason a therapist fits, as facts the page words in the reader's language: licensed in
 * (jurisdiction), a topic, speaks (language, as the therapist wrote it), offers (format), an approach, a time.
 */
export interface MatchReason {
  readonly kind: 'licensed' | 'topic' | 'language' | 'format' | 'approach' | 'time';
  readonly value: string;
}

export interface Match {
  readonly profile: PractitionerProfile;
  readonly score: number;
  /** Why, in the order they count: the licence first, then what the client asked for. */
  readonly reasons: readonly MatchReason[];
}

const words = (text: string): string =>
  ` ${text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()} `;

/**
 * Does a licence issued in `jurisdiction` cover a client in `location`? Telehealth follows the
 * client: a licence counts only when the client's stated location names its jurisdiction as whole
 * words ("Portland, Oregon, USA" fits "Oregon"; "Oregon" does not fit "Washington").
 */
export function jurisdictionFits(jurisdiction: string | null, location: string): boolean {
  if (!jurisdiction || !location.trim()) return false;
  const j = words(jurisdiction).trim();
  return j.length > 0 && words(location).includes(` ${j} `);
}

const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/**
 * A ranked shortlist: only therapists who accept new clients, hold a licence valid for new bookings
 * and licensed where the client is. Then points for what the client asked for, each with its reason.
 * Ties keep a stable order (name) so the list does not shuffle between visits.
 */
export function rankMatches(
  profiles: readonly PractitionerProfile[],
  prefs: MatchPreferences,
  limit = 5,
): Match[] {
  const matches: Match[] = [];
  for (const p of profiles) {
    if (p.kind !== 'therapist' || !p.acceptsNewBookings) continue;
    if (!jurisdictionFits(p.licence.jurisdiction, prefs.location)) continue;
    const reasons: MatchReason[] = [{ kind: 'licensed', value: p.licence.jurisdiction ?? '' }];
    let score = 0;
    for (const topic of prefs.topics ?? []) {
      if (p.specialties.some((s) => same(s, topic))) {
        score += 3;
        reasons.push({ kind: 'topic', value: topic });
      }
    }
    if (prefs.language && p.languages.some((l) => same(l, prefs.language as string))) {
      score += 2;
      reasons.push({
        kind: 'language',
        value: p.languages.find((l) => same(l, prefs.language as string)) ?? prefs.language,
      });
    }
    if (prefs.format && p.formats.some((f) => same(f, prefs.format as string))) {
      score += 2;
      reasons.push({ kind: 'format', value: prefs.format });
    }
    if (prefs.approach && p.approaches.some((a) => same(a, prefs.approach as string))) {
      score += 1;
      reasons.push({ kind: 'approach', value: prefs.approach });
    }
    for (const time of prefs.times ?? []) {
      if (p.times.some((t) => same(t, time))) {
        score += 1;
        reasons.push({ kind: 'time', value: time });
      }
    }
    matches.push({ profile: p, score, reasons });
  }
  return matches
    .sort((a, b) => b.score - a.score || a.profile.displayName.localeCompare(b.profile.displayName))
    .slice(0, limit);
}
