import assert from 'node:assert/strict';
import {
  appointmentWindow,
  canManageRoom,
  canOpenAdhocRoom,
  needsSafetyCheck,
  seatRoleFor,
  windowVerdict,
} from '../../../server/rooms/rooms.policy';
import type { Actor } from '../../../server/rooms';

const therapist: Actor = { id: 't1', displayName: 'T', roles: ['therapist'] };
const admin: Actor = { id: 'a1', displayName: 'A', roles: ['admin'] };
const adminTherapist: Actor = { id: 'at', displayName: 'AT', roles: ['admin', 'therapist'] };
const clientA: Actor = { id: 'c1', displayName: 'C1', roles: ['client'] };
const clientB: Actor = { id: 'c2', displayName: 'C2', roles: ['client'] };

describe('rooms policy', () => {
  const participants = { hostId: 't1', clientIds: ['c1'] };

  it('seats the therapist of record as host and invited clients as clients; nobody else', () => {
    assert.equal(seatRoleFor(therapist, participants), 'host');
    assert.equal(seatRoleFor(clientA, participants), 'client');
    assert.equal(seatRoleFor(clientB, participants), null);
    assert.equal(seatRoleFor(admin, participants), null, 'an admin cannot silently join');
    assert.equal(seatRoleFor(adminTherapist, participants), null, 'another therapist (even an admin) cannot');
  });

  it('lets only a therapist open an ad-hoc room, only for a client they treat', () => {
    assert.equal(canOpenAdhocRoom(therapist, 'c1', true), true);
    assert.equal(canOpenAdhocRoom(therapist, 'c1', false), false);
    assert.equal(canOpenAdhocRoom(admin, 'c1', true), false);
    assert.equal(canOpenAdhocRoom(therapist, 't1', true), false);
  });

  it('opens an appointment room before the start and keeps it open for the grace after the end', () => {
    const appointment = {
      startsAt: new Date('2026-12-01T10:00:00Z'),
      endsAt: new Date('2026-12-01T10:50:00Z'),
    };
    const window = appointmentWindow(appointment, 15 * 60_000, 30 * 60_000);
    const at = (iso: string) => windowVerdict(window, new Date(iso), { endedAt: null });
    assert.equal(at('2026-12-01T09:44:59Z'), 'not_yet');
    assert.equal(at('2026-12-01T09:45:00Z'), 'open');
    assert.equal(at('2026-12-01T11:20:00Z'), 'open');
    assert.equal(at('2026-12-01T11:20:01Z'), 'closed');
    assert.equal(windowVerdict(window, new Date('2026-12-01T10:10:00Z'), { endedAt: new Date() }), 'closed');
  });

  it('lets only the host manage the room', () => {
    assert.equal(canManageRoom('host'), true);
    assert.equal(canManageRoom('client'), false);
  });

  it('asks a client, and only a client, for the safety check, and only before an appointment', () => {
    const appointment = { kind: 'appointment' as const, appointmentId: 'a1' };
    assert.equal(needsSafetyCheck('client', appointment), true);
    assert.equal(needsSafetyCheck('host', appointment), false);
    assert.equal(needsSafetyCheck('client', { kind: 'adhoc', appointmentId: null }), false);
    assert.equal(needsSafetyCheck('client', { kind: 'group', appointmentId: null }), false);
  });
});
