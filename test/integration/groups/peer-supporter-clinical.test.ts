import assert from 'node:assert/strict';
import { ROWS } from '../http/route-matrix.expectations';

/**
 * Issue 8, item 6: peer supporters never see clinical records, notes or scores. The route × role
 * matrix (route-matrix.test.ts) proves every row against the running app; this proves the rows say
 * what the policy says: every clinical route (records, notes, measures, progress, intake, safety
 * checks, psychotherapy notes, alerts) refuses the peer supporter. Only the public crisis page is open.
 */
describe('route matrix: peer supporters are refused every clinical route', () => {
  const CLINICAL = /^(GET|POST) \/clinical(\/|$)/;
  const PUBLIC = new Set(['GET /clinical/crisis-help']);

  it('has clinical rows at all (the check below is not vacuous)', () => {
    assert.ok(ROWS.filter((r) => CLINICAL.test(r.route)).length >= 15);
  });

  it('gives the peer supporter only refusals (4xx) on each of them', () => {
    for (const row of ROWS.filter((r) => CLINICAL.test(r.route) && !PUBLIC.has(r.route))) {
      const expected = [row.expect.peer].flat();
      assert.ok(
        expected.every((status) => status >= 400 && status < 500),
        `${row.route}: the peer supporter gets ${expected.join('/')}`,
      );
    }
  });
});
