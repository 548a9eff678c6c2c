import assert from 'node:assert/strict';
import { canChange, changeRefusal } from '../../../server/scheduling';

describe('scheduling policy: whether an appointment can still be changed', () => {
  const now = new Date('2026-03-10T12:00:00Z');
  const at = (iso: string, status: 'confirmed' | 'requested' | 'cancelled' | 'declined' | 'no_show') => ({
    start: new Date(iso),
    status,
  });

  it('confirmed or requested and still ahead: yes (the page offers it, the service allows it)', () => {
    for (const status of ['confirmed', 'requested'] as const) {
      assert.equal(changeRefusal(at('2026-03-10T12:01:00Z', status), now), null);
      assert.equal(canChange(at('2026-03-10T12:01:00Z', status), now), true);
    }
  });

  it('started (or starting this instant): already_started, whatever the status', () => {
    assert.equal(changeRefusal(at('2026-03-10T12:00:00Z', 'confirmed'), now), 'appointment.already_started');
    assert.equal(changeRefusal(at('2026-03-10T11:00:00Z', 'cancelled'), now), 'appointment.already_started');
    assert.equal(canChange(at('2026-03-10T11:00:00Z', 'confirmed'), now), false);
  });

  it('cancelled, declined or a no-show ahead: not_active', () => {
    for (const status of ['cancelled', 'declined', 'no_show'] as const) {
      assert.equal(changeRefusal(at('2026-03-11T09:00:00Z', status), now), 'appointment.not_active');
      assert.equal(canChange(at('2026-03-11T09:00:00Z', status), now), false);
    }
  });
});
