import assert from 'node:assert/strict';
import {
  canOpenCareThread,
  canOpenFrontDeskThread,
  canRetract,
  membershipIn,
  RETRACT_WINDOW_MS,
} from '../../../server/messaging/messaging.policy';

const client = { id: 'c1', roles: ['client'] as const };
const therapist = { id: 't1', roles: ['therapist'] as const };
const otherTherapist = { id: 't2', roles: ['therapist'] as const };
const admin = { id: 'a1', roles: ['admin'] as const };
const adminTherapist = { id: 't1', roles: ['admin', 'therapist'] as const };
const peer = { id: 'p1', roles: ['peer_supporter'] as const };
const otherClient = { id: 'c2', roles: ['client'] as const };

const care = { kind: 'care' as const, clientId: 'c1', therapistId: 't1' };
const desk = { kind: 'front_desk' as const, clientId: 'c1', therapistId: null };
const treating = { treatingTherapistIds: ['t1'], frontDeskEnabled: false };
const ended = { treatingTherapistIds: [], frontDeskEnabled: false };

describe('messaging policy', () => {
  it('care thread: the client and the treating therapist, nobody else', () => {
    assert.deepEqual(membershipIn(client, care, treating), { side: 'client', canWrite: true });
    assert.deepEqual(membershipIn(therapist, care, treating), { side: 'therapist', canWrite: true });
    for (const outsider of [otherTherapist, admin, peer, otherClient]) {
      assert.equal(membershipIn(outsider, care, treating), null, outsider.id);
    }
    // An admin who is also the treating therapist is in as the therapist, not as an admin.
    assert.deepEqual(membershipIn(adminTherapist, care, treating), { side: 'therapist', canWrite: true });
  });

  it('when care ends, the therapist is out and the client may read but not write', () => {
    assert.equal(membershipIn(therapist, care, ended), null);
    assert.deepEqual(membershipIn(client, care, ended), { side: 'client', canWrite: false });
  });

  it('front desk: the client and any admin; writing needs the setting', () => {
    assert.deepEqual(membershipIn(client, desk, treating), { side: 'client', canWrite: false });
    assert.deepEqual(membershipIn(admin, desk, { ...treating, frontDeskEnabled: true }), {
      side: 'front_desk',
      canWrite: true,
    });
    assert.equal(membershipIn(therapist, desk, treating), null);
    assert.equal(membershipIn(peer, desk, treating), null);
    assert.equal(canOpenFrontDeskThread(client, true), true);
    assert.equal(canOpenFrontDeskThread(client, false), false);
    assert.equal(canOpenFrontDeskThread(therapist, true), false);
  });

  it('opening a care thread needs a current care relationship and the right role', () => {
    assert.equal(canOpenCareThread(client, 't1', 'c1', ['t1']), true);
    assert.equal(canOpenCareThread(therapist, 't1', 'c1', ['t1']), true);
    assert.equal(canOpenCareThread(client, 't2', 'c1', ['t1']), false);
    assert.equal(canOpenCareThread(otherTherapist, 't2', 'c1', ['t1']), false);
    assert.equal(canOpenCareThread(peer, 't1', 'c1', ['t1']), false);
    assert.equal(canOpenCareThread({ id: 't1', roles: ['client'] }, 't1', 't1', ['t1']), false);
  });

  it('retraction: only the sender, only within five minutes, only once', () => {
    const sentAt = new Date('2026-01-01T10:00:00Z');
    const msg = { senderId: 'c1', createdAt: sentAt, retractedAt: null };
    const at = (ms: number) => new Date(sentAt.getTime() + ms);
    assert.equal(canRetract(client, msg, at(RETRACT_WINDOW_MS)), true);
    assert.equal(canRetract(client, msg, at(RETRACT_WINDOW_MS + 1)), false);
    assert.equal(canRetract(therapist, msg, at(1000)), false);
    assert.equal(canRetract(client, { ...msg, retractedAt: at(1) }, at(2)), false);
  });
});
