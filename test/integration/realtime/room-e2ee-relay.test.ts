import '../../support/media-worker';
import assert from 'node:assert/strict';
import { webcrypto } from 'node:crypto';
import { createPerson, ensureAdmin, type TestPerson } from '../../support/accounts';
import {
  ask,
  askRaw,
  dataOf,
  next,
  opusRtpParameters,
  pushRecorder,
  refusedWith,
  TestSockets,
  type TestSocket,
} from '../../support/live-session';
import { startLiveHaven, type LiveHaven } from '../../support/live-haven';

/** A fresh P-256 public key, raw and base64, as a page says it. */
async function publicKey(): Promise<string> {
  const pair = await webcrypto.subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, true, [
    'deriveBits',
  ]);
  return Buffer.from(await webcrypto.subtle.exportKey('raw', pair.publicKey)).toString('base64');
}
/** 60 opaque bytes, the size of a sealed sender key. */
const sealedBytes = (fill: number): string => Buffer.alloc(60, fill).toString('base64');

/**
 * End-to-end encrypted sessions (issue 23, item 3): the server's part is a relay between the admitted
 * people of one room. These check who gets what: keys reach admitted people only (never someone
 * waiting), a sealed key reaches the one person it is for, and a page that has not said a key (one
 * that cannot encrypt) sends no media into the room.
 */
describe('realtime: the end-to-end encryption relay (ROOM_E2EE=on)', function () {
  this.timeout(60_000);
  let live: LiveHaven;
  let therapist: TestPerson;
  let partnerA: TestPerson;
  let partnerB: TestPerson;
  let roomId: string;
  /** Every e2ee push each socket received, in order. */
  const { seen: pushes, record } = pushRecorder((event) => event.startsWith('e2ee:'));
  const sockets = new TestSockets(() => live, record);
  let host: TestSocket | undefined;

  before(async () => {
    live = await startLiveHaven({ env: { ROOM_E2EE: 'on' } });
    await ensureAdmin(live.haven);
    therapist = await createPerson(live.haven, { roles: ['therapist'], displayName: 'Dr Rivera' });
    partnerA = await createPerson(live.haven, { roles: ['client'], displayName: 'Sam' });
    partnerB = await createPerson(live.haven, { roles: ['client'], displayName: 'Alex' });
    await live.haven.clinical.care.assign(null, therapist.user.id, partnerA.user.id);
    await live.haven.clinical.care.assign(null, therapist.user.id, partnerB.user.id);
  });
  beforeEach(async () => {
    // A couple's session: two clients, one therapist.
    roomId = (
      await live.haven.rooms.access.openAdhoc(therapist.user, [partnerA.user.id, partnerB.user.id], null)
    ).id;
  });
  afterEach(async () => {
    if (host?.connected) dataOf(await ask(host, 'room:end', { roomId }));
    host = undefined;
    sockets.closeAll();
  });
  after(async () => live?.stop());

  async function hostJoined(): Promise<TestSocket> {
    host = await sockets.open(therapist);
    const joined = dataOf(await ask(host, 'room:join', { roomId }));
    assert.equal(joined.e2ee, true, 'a couple session is end-to-end encrypted when the clinic says so');
    return host;
  }

  it('passes public keys to admitted people only: a waiting client gets none until admitted', async () => {
    const h = await hostJoined();
    const hostKey = await publicKey();
    const hostKeys = next(h, 'e2ee:keys');
    dataOf(await ask(h, 'e2ee:announce', { roomId, publicKey: hostKey }));
    assert.deepEqual((await hostKeys).keys, [{ peerId: therapist.user.id, publicKey: hostKey }]);

    const client = await sockets.open(partnerA);
    assert.equal(dataOf(await ask(client, 'room:join', { roomId })).state, 'waiting');
    const clientKey = await publicKey();
    // A waiting page may say its key early; it is not passed on, and it hears nothing back.
    dataOf(await ask(client, 'e2ee:announce', { roomId, publicKey: clientKey }));
    refusedWith(
      await ask(client, 'e2ee:sender-key', {
        roomId,
        toId: therapist.user.id,
        epoch: 1,
        sealed: sealedBytes(1),
      }),
      'room.not_admitted',
    );
    // Nor can the host seal anything for them while they wait.
    refusedWith(
      await ask(h, 'e2ee:sender-key', { roomId, toId: partnerA.user.id, epoch: 1, sealed: sealedBytes(2) }),
      'room.not_admitted_peer',
    );
    // Answers and pushes to one socket arrive in order: by this answer, anything sent before it is here.
    dataOf(await ask(client, 'e2ee:announce', { roomId, publicKey: clientKey }));
    assert.deepEqual(pushes.get(client), [], 'a waiting client got key material');

    const [forHost, forClient] = [next(h, 'e2ee:keys'), next(client, 'e2ee:keys')];
    dataOf(await ask(h, 'room:admit', { roomId, userId: partnerA.user.id }));
    const both = [
      { peerId: therapist.user.id, publicKey: hostKey },
      { peerId: partnerA.user.id, publicKey: clientKey },
    ];
    const byPeer = (a: { peerId: string }, b: { peerId: string }) => a.peerId.localeCompare(b.peerId);
    assert.deepEqual([...(await forHost).keys].sort(byPeer), [...both].sort(byPeer));
    assert.deepEqual([...(await forClient).keys].sort(byPeer), [...both].sort(byPeer));
  });

  it('passes a sealed sender key to the one person it is for, naming who sent it', async () => {
    const h = await hostJoined();
    dataOf(await ask(h, 'e2ee:announce', { roomId, publicKey: await publicKey() }));
    const [a, b] = [await sockets.open(partnerA), await sockets.open(partnerB)];
    for (const s of [a, b]) dataOf(await ask(s, 'room:join', { roomId }));
    dataOf(await ask(h, 'room:admit-all', { roomId }));
    const bKey = await publicKey();
    dataOf(await ask(a, 'e2ee:announce', { roomId, publicKey: await publicKey() }));
    dataOf(await ask(b, 'e2ee:announce', { roomId, publicKey: bKey }));
    pushes.get(b)!.length = 0;

    const received = next(a, 'e2ee:sender-key');
    dataOf(
      await ask(h, 'e2ee:sender-key', { roomId, toId: partnerA.user.id, epoch: 7, sealed: sealedBytes(9) }),
    );
    assert.deepEqual(await received, { fromId: therapist.user.id, epoch: 7, sealed: sealedBytes(9) });
    dataOf(await ask(b, 'e2ee:announce', { roomId, publicKey: bKey }));
    assert.deepEqual(pushes.get(b), [], 'the other partner got a key sealed for someone else');
    // Not to oneself, nor to someone not in the room.
    refusedWith(
      await ask(h, 'e2ee:sender-key', { roomId, toId: therapist.user.id, epoch: 7, sealed: sealedBytes(9) }),
      'room.not_admitted_peer',
    );

    // Someone leaves: the others get the keys without theirs (each page then draws a new sender key).
    const after = next(h, 'e2ee:keys');
    dataOf(await ask(b, 'room:leave', { roomId }));
    assert.deepEqual(
      (await after).keys.map((k) => k.peerId).sort(),
      [therapist.user.id, partnerA.user.id].sort(),
    );
  });

  it('takes no media from a page that has not said its key (it could not encrypt it)', async () => {
    const h = await hostJoined();
    const send = dataOf(await ask(h, 'media:create-transport', { roomId, direction: 'send' }));
    const produce = () =>
      ask(h, 'media:produce', {
        roomId,
        transportId: send.id,
        kind: 'audio',
        source: 'mic',
        rtpParameters: opusRtpParameters(44444444, 'host'),
      });
    refusedWith(await produce(), 'room.e2ee_required');
    dataOf(await ask(h, 'e2ee:announce', { roomId, publicKey: await publicKey() }));
    assert.ok(dataOf(await produce()).producerId);
  });

  it('refuses anything but a public key or a sealed key of the exact size', async () => {
    const h = await hostJoined();
    const key = Buffer.from(await publicKey(), 'base64');
    const wrong = [
      { roomId, publicKey: key.subarray(0, 33).toString('base64') }, // compressed-size point
      { roomId, publicKey: Buffer.concat([Buffer.from([2]), key.subarray(1)]).toString('base64') },
      { roomId, publicKey: `${key.toString('base64').slice(0, -4)}!!!!` },
      { roomId, publicKey: 'A'.repeat(2000) },
      { roomId, publicKey: key.toString('base64'), extra: 1 },
    ];
    for (const payload of wrong)
      refusedWith(await askRaw(h, 'e2ee:announce', payload), 'validation.invalid_payload');
    refusedWith(
      await askRaw(h, 'e2ee:sender-key', {
        roomId,
        toId: partnerA.user.id,
        epoch: 1,
        sealed: Buffer.alloc(61).toString('base64'),
      }),
      'validation.invalid_payload',
    );
    refusedWith(
      await askRaw(h, 'e2ee:sender-key', {
        roomId,
        toId: partnerA.user.id,
        epoch: 256,
        sealed: sealedBytes(1),
      }),
      'validation.invalid_payload',
    );
  });
});

describe('realtime: the relay in a clinic without end-to-end encryption', function () {
  this.timeout(60_000);
  let live: LiveHaven;
  const sockets = new TestSockets(() => live);
  before(async () => {
    live = await startLiveHaven();
  });
  after(async () => {
    sockets.closeAll();
    await live?.stop();
  });

  it('says the session is not end-to-end encrypted and refuses key messages', async () => {
    await ensureAdmin(live.haven);
    const therapist = await createPerson(live.haven, { roles: ['therapist'] });
    const client = await createPerson(live.haven, { roles: ['client'] });
    await live.haven.clinical.care.assign(null, therapist.user.id, client.user.id);
    const roomId = (await live.haven.rooms.access.openAdhoc(therapist.user, [client.user.id], null)).id;
    const h = await sockets.open(therapist);
    assert.equal(dataOf(await ask(h, 'room:join', { roomId })).e2ee, false);
    refusedWith(await ask(h, 'e2ee:announce', { roomId, publicKey: await publicKey() }), 'room.e2ee_off');
  });
});
