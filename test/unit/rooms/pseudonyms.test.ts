import assert from 'node:assert/strict';
import { Pseudonyms } from '../../../server/rooms/pseudonyms';

const ALICE = '11111111-1111-4111-8111-111111111111';
const ALICE_MEMBER = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
const GONE = '22222222-2222-4222-8222-222222222222';

/** What leaves the server for a group room: public ids and group names, never user ids. */
describe('Pseudonyms (group-meeting payloads)', () => {
  const names = new Pseudonyms([{ userId: ALICE, publicId: ALICE_MEMBER, name: 'Blue Heron' }]);

  it('replaces user ids anywhere in a payload, leaving everything else as it was', () => {
    const payload = {
      peers: [{ userId: ALICE, displayName: 'Blue Heron', role: 'client' }],
      producer: { producerId: 'p1', peerId: ALICE, kind: 'audio', paused: false },
      count: 2,
      nothing: null,
    };
    assert.deepEqual(names.present(payload), {
      peers: [{ userId: ALICE_MEMBER, displayName: 'Blue Heron', role: 'client' }],
      producer: { producerId: 'p1', peerId: ALICE_MEMBER, kind: 'audio', paused: false },
      count: 2,
      nothing: null,
    });
    assert.equal(payload.producer.peerId, ALICE, 'the original is not changed');
  });

  it('names chat senders by group name, and a sender no longer on the roster by a fresh id', () => {
    const [mine, gone] = names.present([
      { id: 'm1', senderId: ALICE, senderName: 'Alice Realname', body: 'hi' },
      { id: 'm2', senderId: GONE, senderName: 'Gone Realname', body: 'bye' },
    ]);
    assert.deepEqual(mine, { id: 'm1', senderId: ALICE_MEMBER, senderName: 'Blue Heron', body: 'hi' });
    assert.equal(gone?.senderName, 'Former participant');
    assert.notEqual(gone?.senderId, GONE);
    assert.equal(names.present({ senderId: GONE, senderName: 'x' }).senderId, gone?.senderId, 'stable');
  });

  it('maps public ids back to user ids for requests, and nothing else', () => {
    assert.equal(names.userIdOf(ALICE_MEMBER), ALICE);
    assert.equal(names.userIdOf(ALICE), null);
    assert.equal(names.publicIdOf(ALICE), ALICE_MEMBER);
  });
});
