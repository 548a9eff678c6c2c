import type { TimeRange } from './availability';

/**
 * "One slot, one appointment" is enforced by the database, not by a check-then-insert: an active
 * appointment inserts one row per 5-minute grain its block (buffers included) touches into
 * `appointment_slot_claims`, whose primary key is (therapist_id, grain_start). Two bookings whose
 * blocks overlap — same start or not — need a common grain, so the second insert violates the key
 * and its transaction rolls back, on SQLite and PostgreSQL alike, however the requests interleave.
 */
export const CLAIM_GRAIN_MINUTES = 5;
const GRAIN_MS = CLAIM_GRAIN_MINUTES * 60_000;

/** Grain starts covering [block.start, block.end), rounded outwards. */
export function claimGrains(block: TimeRange): Date[] {
  const first = Math.floor(block.start / GRAIN_MS) * GRAIN_MS;
  const out: Date[] = [];
  for (let t = first; t < block.end; t += GRAIN_MS) out.push(new Date(t));
  return out;
}
