import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { touchSeatedSessions, type SeatHolder } from '../../../server/realtime/seated-sessions';

/** A socket whose handshake carried web session `sid` (or none), seated in `rooms`. */
function socketOf(sid: string | null, rooms: string[], touches: string[]): SeatHolder {
  const request = {
    ...(sid ? { session: { cookie: {} }, sessionID: sid } : {}),
    sessionStore: { touch: (id: string, _session: object, done: () => void) => (touches.push(id), done()) },
  } as unknown as IncomingMessage;
  return { data: { rooms: new Set(rooms) }, request };
}

describe('realtime: a live session keeps its web session alive', () => {
  it('touches the web session of every seated socket once, and nothing for sockets in no room', () => {
    const touches: string[] = [];
    const touched = touchSeatedSessions([
      socketOf('s-therapist', ['room-1'], touches),
      socketOf('s-client', ['room-1'], touches),
      socketOf('s-client', ['room-1'], touches), // a second tab of the same session
      socketOf('s-inbox-only', [], touches), // a messaging page left open is not activity
      socketOf(null, ['room-2'], touches), // no session on the handshake: nothing to touch
    ]);
    assert.equal(touched, 2);
    assert.deepEqual(touches.sort(), ['s-client', 's-therapist']);
  });

  it('touches nothing when nobody is seated', () => {
    const touches: string[] = [];
    assert.equal(touchSeatedSessions([socketOf('s1', [], touches)]), 0);
    assert.deepEqual(touches, []);
  });
});
