import '../../support/media-worker';
import assert from 'node:assert/strict';
import type { Ack, ClientEvent, Payload, ProduceInput, Result } from '../../../server/protocol';
import { createPerson, ensureAdmin, type TestPerson } from '../../support/accounts';
import { groupMeetingFixture, type GroupMeetingFixture } from '../../support/group-meeting';
import {
  ask,
  next,
  opusRtpParameters,
  TestSockets,
  dataOf,
  refusedWith,
  type TestSocket,
} from '../../support/live-session';
import { startLiveHaven, type LiveHaven } from '../../support/live-haven';
import { auditActions } from '../../support/audit-trail';

const OPUS_RTP = opusRtpParameters(33333333, 'm');

/** Every frame a socket receives (pushes and acks), as raw JSON text: what an attacker's page would see. */
class Wire {
  readonly frames: string[] = [];
  watch(socket: TestSocket): void {
    socket.onAny((event: string, ...args: unknown[]) => this.frames.push(`${event} ${JSON.stringify(args)}`));
  }
  record<T>(answer: Ack<T>): Ack<T> {
    this.frames.push(`ack ${JSON.stringify(answer)}`);
    return answer;
  }
  get text(): string {
    return this.frames.join('\n');
  }
}

describe('group meetings: lobby, facilitator controls, hands, reports and pseudonymity over the socket', function () {
  this.timeout(90000);
  let live: LiveHaven;
  let fx: GroupMeetingFixture;
  let therapist: TestPerson;
  let admin: TestPerson;
  const wires = new Map<string, Wire>();

  // Every frame a person's sockets receive is recorded on their wire, to search for leaks.
  const sockets = new TestSockets(
    () => live,
    (person, socket) => {
      const wire = wires.get(person.user.id) ?? new Wire();
      wires.set(person.user.id, wire);
      wire.watch(socket);
    },
  );
  const socketFor = (person: TestPerson): Promise<TestSocket> => sockets.open(person);
  /** An ask whose answer is kept on the person's wire record. */
  async function askAs<K extends ClientEvent>(
    person: TestPerson,
    socket: TestSocket,
    event: K,
    payload: Payload<K>,
  ): Promise<Ack<Result<K>>> {
    return (wires.get(person.user.id) as Wire).record(await ask(socket, event, payload));
  }
  const member = (i: number) => fx.members[i]!;

  async function rows(sql: string): Promise<Array<Record<string, unknown>>> {
    const [out] = await live.haven.sequelize.query(sql);
    return out as Array<Record<string, unknown>>;
  }

  before(async () => {
    live = await startLiveHaven();
    admin = (await ensureAdmin(live.haven)) ?? (await createPerson(live.haven, { roles: ['admin'] }));
    therapist = await createPerson(live.haven, { roles: ['therapist'], displayName: 'Dr Nearby' });
    fx = await groupMeetingFixture(live.haven, [
      { realName: 'Alice Realname', pseudonym: 'Blue Heron' },
      { realName: 'Bob Realname', pseudonym: 'Quiet Fox' },
      { realName: 'Carol Realname', pseudonym: 'River' },
      { realName: 'Dana Realname', pseudonym: 'Oak', acceptGuidelines: false },
    ]);
    // Alice reads Spanish: the server's refusals to her socket are in Spanish, Bob's in English.
    const alice = (await live.haven.accounts.byId(fx.members[0]!.user.id))!;
    await live.haven.accounts.lifecycle.setLanguage(alice, 'es');
  });
  afterEach(() => {
    sockets.closeAll();
  });
  after(async () => live?.stop());

  it('seats only the facilitators and members in good standing who accepted the guidelines', async () => {
    const outsider = await createPerson(live.haven, { roles: ['client'], displayName: 'Not In Group' });
    refusedWith(
      await ask(await socketFor(outsider), 'room:join', { roomId: fx.roomId }),
      'meeting.forbidden',
    );
    // A clinician is not a host of a peer group's meeting by default (nor an attendee); an admin hosts.
    refusedWith(
      await ask(await socketFor(therapist), 'room:join', { roomId: fx.roomId }),
      'meeting.forbidden',
    );
    const asAdmin = dataOf(await ask(await socketFor(admin), 'room:join', { roomId: fx.roomId }));
    assert.deepEqual([asAdmin.role, asAdmin.state], ['host', 'admitted']);
    dataOf(await ask(sockets.opened.at(-1)!, 'room:leave', { roomId: fx.roomId }));
    refusedWith(
      await ask(await socketFor(member(3)), 'room:join', { roomId: fx.roomId }),
      'meeting.guidelines_needed',
    );
    // A member cannot use host powers in the lobby.
    const c = await socketFor(member(2));
    assert.equal(dataOf(await ask(c, 'room:join', { roomId: fx.roomId })).state, 'waiting');
    refusedWith(
      await ask(c, 'meeting:mute', { roomId: fx.roomId, peerId: member(2).memberId, on: true }),
      'room.not_admitted',
    );
  });

  it('lobby: the facilitator sees pseudonyms knocking, admits one, then everyone (within capacity)', async () => {
    const host = await socketFor(fx.facilitator);
    const hostJoin = dataOf(await askAs(fx.facilitator, host, 'room:join', { roomId: fx.roomId }));
    assert.equal(hostJoin.role, 'host');
    assert.equal(hostJoin.state, 'admitted');
    assert.notEqual(hostJoin.selfId, fx.facilitator.user.id, 'the facilitator is known by a public id');

    const a = await socketFor(member(0));
    const knockA = next(host, 'room:knock');
    assert.equal(dataOf(await askAs(member(0), a, 'room:join', { roomId: fx.roomId })).state, 'waiting');
    const { waiting } = await knockA;
    assert.deepEqual(
      waiting.map((w) => [w.userId, w.displayName]),
      [[member(0).memberId, 'Blue Heron']],
    );

    const b = await socketFor(member(1));
    const c = await socketFor(member(2));
    await askAs(member(1), b, 'room:join', { roomId: fx.roomId });
    await askAs(member(2), c, 'room:join', { roomId: fx.roomId });

    // Admit one, by the public id the lobby showed.
    const admittedA = next(a, 'room:admitted');
    dataOf(await ask(host, 'room:admit', { roomId: fx.roomId, userId: member(0).memberId }));
    const payloadA = await admittedA;
    assert.ok(payloadA.rtpCapabilities);
    const peersA = payloadA.peers;
    // The facilitator too is known by their meeting face, never their account name.
    assert.deepEqual(peersA.map((p) => p.displayName).sort(), ['Blue Heron', 'Facilitator']);

    // Capacity is enforced server-side: with room for two members, "admit all" stops at the cap.
    await live.haven.sequelize.query(`UPDATE peer_groups SET capacity = 2 WHERE id = '${fx.groupId}'`);
    c.disconnect();
    const c2 = await socketFor(member(2));
    await askAs(member(2), c2, 'room:join', { roomId: fx.roomId }); // refreshes what the room knows
    refusedWith(await ask(host, 'room:admit-all', { roomId: fx.roomId }), 'room.full');
    await live.haven.sequelize.query(`UPDATE peer_groups SET capacity = 8 WHERE id = '${fx.groupId}'`);
    c2.disconnect();
    const c3 = await socketFor(member(2));
    const admittedC = next(c3, 'room:admitted');
    await askAs(member(2), c3, 'room:join', { roomId: fx.roomId });
    const all = dataOf(await ask(host, 'room:admit-all', { roomId: fx.roomId }));
    assert.ok(all.admitted >= 1);
    await admittedC;
    const state = dataOf(await askAs(member(1), b, 'chat:send', { roomId: fx.roomId, text: 'hello all' }));
    assert.equal(state.senderName, 'Quiet Fox');
  });

  it('chat, hands, mute, camera-off, reports: enforced by the server, pseudonymous on the wire', async () => {
    const roomId = fx.roomId;
    const host = await socketFor(fx.facilitator);
    dataOf(await askAs(fx.facilitator, host, 'room:join', { roomId }));
    const join = async (i: number): Promise<TestSocket> => {
      const s = await socketFor(member(i));
      const admitted = next(s, 'room:admitted');
      const knock = next(host, 'room:knock');
      const j = dataOf(await askAs(member(i), s, 'room:join', { roomId }));
      if (j.state === 'waiting') {
        await knock;
        dataOf(await ask(host, 'room:admit', { roomId, userId: member(i).memberId }));
        await admitted;
      }
      return s;
    };
    const a = await join(0);
    const b = await join(1);

    // Chat: stored encrypted, delivered with the pseudonym and membership id only.
    const delivered = next(b, 'chat:message');
    const sent = dataOf(await askAs(member(0), a, 'chat:send', { roomId, text: 'I had a hard week' }));
    const got = await delivered;
    assert.equal(got.senderName, 'Blue Heron');
    assert.equal(got.senderId, member(0).memberId);
    assert.equal(sent.senderId, member(0).memberId);
    const stored = await rows(`SELECT body_enc FROM room_chat_messages WHERE id = '${sent.id as string}'`);
    assert.ok(stored[0] && !String(stored[0].body_enc).includes('hard week'), 'chat is encrypted at rest');

    // Raise hand: the facilitator sees it.
    const handSeen = next(host, 'room:peers');
    dataOf(await askAs(member(1), b, 'meeting:raise-hand', { roomId, raised: true }));
    const handPeers = (await handSeen).peers;
    assert.equal(handPeers.find((p) => p.userId === member(1).memberId)?.meeting?.handRaised, true);

    // Alice sends audio; the facilitator mutes her: her track closes for everyone, and she cannot
    // send audio again (nor unmute herself) until the facilitator undoes it.
    const send = dataOf(await askAs(member(0), a, 'media:create-transport', { roomId, direction: 'send' }));
    const seenByBob = next(b, 'media:new-producer');
    const producer = dataOf(
      await askAs(member(0), a, 'media:produce', {
        roomId,
        transportId: send.id,
        kind: 'audio',
        source: 'mic',
        rtpParameters: OPUS_RTP,
      }),
    );
    assert.equal(producer.peerId, member(0).memberId, 'media carries the public id, not the user id');
    assert.equal((await seenByBob).peerId, member(0).memberId);
    const closedForBob = next(b, 'media:producer-closed');
    const toldAlice = next(a, 'meeting:moderated');
    const notHost = await ask(b, 'meeting:mute', { roomId, peerId: member(0).memberId, on: true });
    refusedWith(notHost, 'room.host_only');
    assert.equal(!notHost.ok && notHost.error.message, 'Only a facilitator can do that.');
    dataOf(await ask(host, 'meeting:mute', { roomId, peerId: member(0).memberId, on: true }));
    assert.equal((await closedForBob).producerId, producer.producerId);
    assert.deepEqual(await toldAlice, { handRaised: false, muted: true, cameraOff: false });
    assert.equal(
      live.haven.media !== null &&
        (
          await live.haven.rooms.live.mediaFor({ id: member(0).user.id, displayName: '', roles: [] }, roomId)
        ).media
          .producers()
          .some((p) => p.peerId === member(0).user.id),
      false,
      'the server holds no audio of hers',
    );
    const again: ProduceInput = {
      roomId,
      transportId: send.id,
      kind: 'audio',
      source: 'mic',
      rtpParameters: OPUS_RTP,
    };
    const muted = await ask(a, 'media:produce', again);
    refusedWith(muted, 'meeting.muted');
    assert.equal(
      !muted.ok && muted.error.message,
      'Una persona facilitadora le ha silenciado; puede volver a activarle el sonido.',
      'in the language Alice reads',
    );
    refusedWith(
      await ask(a, 'meeting:mute', { roomId, peerId: member(0).memberId, on: false }),
      'room.host_only',
    );
    dataOf(await ask(host, 'meeting:mute', { roomId, peerId: member(0).memberId, on: false }));
    assert.equal(dataOf(await ask(a, 'media:produce', again)).kind, 'audio');

    // Camera off: video is refused until the facilitator allows it again.
    dataOf(await ask(host, 'meeting:camera-off', { roomId, peerId: member(0).memberId, on: true }));
    refusedWith(
      await ask(a, 'media:produce', { ...again, kind: 'video', source: 'camera' }),
      'meeting.camera_off',
    );
    dataOf(await ask(host, 'meeting:camera-off', { roomId, peerId: member(0).memberId, on: false }));

    // Reports, of a person and of a message: to the facilitator at once; sealed and audited.
    const reported = next(host, 'meeting:report');
    dataOf(
      await askAs(member(1), b, 'meeting:report', {
        roomId,
        peerId: member(0).memberId,
        reason: 'Shared contact details',
      }),
    );
    const report = await reported;
    assert.equal(report.reporter, 'Quiet Fox');
    assert.equal(report.about, 'Blue Heron');
    const reportedMessage = next(host, 'meeting:report');
    dataOf(await askAs(member(1), b, 'meeting:report', { roomId, messageId: sent.id, reason: 'Upsetting' }));
    assert.equal((await reportedMessage).messageId, sent.id);
    refusedWith(await ask(b, 'meeting:report', { roomId, reason: 'about nobody' }), 'meeting.invalid_report');
    const stored2 = await rows(`SELECT reason_enc FROM peer_group_reports WHERE group_id = '${fx.groupId}'`);
    assert.equal(stored2.length, 2);
    assert.ok(
      stored2.every((r) => !String(r.reason_enc).includes('contact')),
      'reports are sealed',
    );
    const audited = await auditActions(live.haven, { action: 'group.report_made' });
    assert.equal(audited.length, 2);

    // Nothing anyone in the meeting received (members and the host alike) names anyone by account
    // name, email or user id: the host's own account name ('Pat Facilitator') included.
    const everyone = [...fx.members, fx.facilitator];
    const accountNames = everyone.map((p) => p.user.displayName);
    assert.ok(accountNames.includes('Pat Facilitator') && accountNames.includes('Alice Realname'));
    for (const listener of [member(0), member(1), fx.facilitator]) {
      const wire = (wires.get(listener.user.id) as Wire).text;
      assert.ok(wire.length > 0, `${listener.user.displayName}'s frames were recorded`);
      for (const other of everyone.filter((p) => p !== listener)) {
        assert.ok(!wire.includes(other.user.id), `a user id reached ${listener.user.displayName}`);
        assert.ok(!wire.includes(other.email), `an email reached ${listener.user.displayName}`);
        assert.ok(
          !wire.includes(other.user.displayName),
          `${other.user.displayName} reached ${listener.user.displayName}`,
        );
      }
    }
  });

  it('removed and blocked members are out at once and cannot come back', async () => {
    const roomId = fx.roomId;
    const host = await socketFor(fx.facilitator);
    dataOf(await ask(host, 'room:join', { roomId }));
    const inRoom = async (i: number): Promise<TestSocket> => {
      const s = await socketFor(member(i));
      const admitted = next(s, 'room:admitted');
      if (dataOf(await ask(s, 'room:join', { roomId })).state === 'waiting') {
        dataOf(await ask(host, 'room:admit', { roomId, userId: member(i).memberId }));
        await admitted;
      }
      return s;
    };
    const b = await inRoom(1);
    const removed = next(b, 'meeting:removed');
    dataOf(await ask(host, 'meeting:remove', { roomId, peerId: member(1).memberId, block: false }));
    assert.deepEqual(await removed, { blocked: false });
    refusedWith(await ask(b, 'chat:send', { roomId, text: 'still here?' }), 'room.not_admitted');
    refusedWith(await ask(b, 'room:join', { roomId }), 'meeting.removed');
    refusedWith(await ask(await socketFor(member(1)), 'room:join', { roomId }), 'meeting.removed');

    const a = await inRoom(0);
    const blocked = next(a, 'meeting:removed');
    dataOf(await ask(host, 'meeting:remove', { roomId, peerId: member(0).memberId, block: true }));
    assert.deepEqual(await blocked, { blocked: true });
    refusedWith(await ask(a, 'room:join', { roomId }), 'meeting.blocked');
    // Blocked from the group: no later meeting of it either (persisted, not just in memory).
    const status = await rows(`SELECT status FROM peer_group_members WHERE id = '${member(0).memberId}'`);
    assert.equal(status[0]?.status, 'blocked');
    await assert.rejects(
      live.haven.groupMeetings.seat(fx.meetingId, member(0).user.id),
      (e: { code?: string }) => e.code === 'meeting.blocked',
    );
    const removals = await rows(
      `SELECT member_id FROM peer_group_meeting_removals WHERE meeting_id = '${fx.meetingId}'`,
    );
    assert.deepEqual(
      removals.map((r) => r.member_id).sort(),
      [member(0).memberId, member(1).memberId].sort(),
    );
  });

  it('the room page and the chat transcript carry pseudonyms and public ids only', async () => {
    const cookie = sockets.cookies.get(member(2).user.id) as string;
    const page = await fetch(`${live.baseUrl}/rooms/${fx.roomId}`, { headers: { cookie } });
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(html, new RegExp(`data-self-id="${member(2).memberId}"`));
    assert.match(html, /Others see you as <strong>River<\/strong>/);
    const transcript = await (
      await fetch(`${live.baseUrl}/rooms/${fx.roomId}/chat`, { headers: { cookie } })
    ).text();
    assert.match(transcript, /Blue Heron/);
    for (const text of [html, transcript]) {
      for (const m of fx.members.filter((x) => x !== member(2))) {
        assert.ok(!text.includes(m.user.id) && !text.includes(m.email) && !text.includes(m.user.displayName));
      }
      assert.ok(!text.includes(fx.facilitator.user.id) && !text.includes(fx.facilitator.user.displayName));
    }
  });
});
