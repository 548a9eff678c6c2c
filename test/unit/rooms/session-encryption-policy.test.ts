import assert from 'node:assert/strict';
import { sessionEncrypted } from '../../../server/rooms/rooms.policy';
import type { E2eeMode, RoomKind } from '../../../server/rooms';
import { canChooseE2ee } from '../../../server/scheduling/scheduling.policy';
import type { Appointment } from '../../../server/scheduling';

const appointment = { therapistId: 't1', clientIds: ['c1'] } as Pick<
  Appointment,
  'therapistId' | 'clientIds'
>;

describe('rooms/policy: which rooms are end-to-end encrypted (ROOM_E2EE)', () => {
  const cases: Array<[E2eeMode, RoomKind, boolean, boolean]> = [
    // mode, room kind, the therapist chose it, encrypted
    ['off', 'appointment', true, false],
    ['off', 'adhoc', false, false],
    ['on', 'appointment', false, true],
    ['on', 'adhoc', false, true],
    ['on', 'group', true, false],
    ['per-session', 'appointment', true, true],
    ['per-session', 'appointment', false, false],
    ['per-session', 'adhoc', false, false],
    ['per-session', 'group', true, false],
  ];
  for (const [mode, kind, chosen, expected] of cases) {
    it(`${mode}, ${kind} room${chosen ? ', chosen' : ''}: ${expected ? 'encrypted' : 'plain'}`, () => {
      assert.equal(sessionEncrypted(mode, { kind, e2eeChosen: chosen }), expected);
    });
  }
});

describe('scheduling/policy: who chooses a session’s end-to-end encryption', () => {
  const as = (id: string, roles: string[]) => ({ id, roles });
  it('the appointment’s therapist only', () => {
    const a = appointment as Appointment;
    assert.equal(canChooseE2ee(as('t1', ['therapist']), a), true);
    assert.equal(canChooseE2ee(as('c1', ['client']), a), false, 'its client');
    assert.equal(canChooseE2ee(as('t2', ['therapist']), a), false, 'another therapist');
    assert.equal(canChooseE2ee(as('a1', ['admin']), a), false, 'an admin');
    assert.equal(canChooseE2ee(as('t1', ['client']), a), false, 'the id without the therapist role');
  });
});
