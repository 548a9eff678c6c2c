import assert from 'node:assert/strict';
import { webcrypto } from 'node:crypto';
import {
  TRAILER_BYTES,
  clearLength,
  decryptFrame,
  encryptFrame,
  frameKeyFrom,
  isLaterEpoch,
  newIdentity,
  pairwiseKey,
  safetyCode,
  unwrapSecret,
  wrapSecret,
  type FrameKey,
} from '../../../public/src/room/e2ee/frame-crypto';

const subtle = webcrypto.subtle;
const random = (n: number) => Uint8Array.from(webcrypto.getRandomValues(new Uint8Array(n)));

/** A VP8 key frame starts with a frame tag whose bit 0 is 0; a delta frame's is 1. */
const vp8 = (keyFrame: boolean, length = 200) => {
  const frame = random(length);
  frame[0] = keyFrame ? frame[0]! & 0xfe : frame[0]! | 0x01;
  return frame;
};

describe('E2EE frame crypto (SFrame-like, AES-GCM)', () => {
  const binding = { roomId: 'room-1', fromId: 'alice', toId: 'bob', epoch: 1 };
  let key: FrameKey;
  const keys = () => (id: number) => (id === key.id ? key : undefined);

  before(async () => {
    key = await frameKeyFrom(subtle, random(32), 3);
  });

  it('leaves exactly the codec header the SFU reads in the clear: VP8 10 / 3 bytes, Opus TOC 1', async () => {
    assert.equal(clearLength('vp8', vp8(true)), 10);
    assert.equal(clearLength('vp8', vp8(false)), 3);
    assert.equal(clearLength('opus', random(80)), 1);
    for (const [codec, frame] of [
      ['vp8', vp8(true)],
      ['vp8', vp8(false)],
      ['opus', random(80)],
    ] as const) {
      const sealed = await encryptFrame(subtle, key, 7n, codec, frame);
      const n = clearLength(codec, frame);
      assert.deepEqual(sealed.subarray(0, n), frame.subarray(0, n), 'header in the clear');
      assert.equal(sealed.length, frame.length + 16 + TRAILER_BYTES);
      assert.notDeepEqual(sealed.subarray(n, frame.length), frame.subarray(n), 'payload encrypted');
      assert.deepEqual(await decryptFrame(subtle, keys(), codec, sealed), frame);
    }
  });

  it('opens nothing that was changed, sealed under another key, or named by an unknown key id', async () => {
    const frame = vp8(true);
    const sealed = await encryptFrame(subtle, key, 1n, 'vp8', frame);
    const headerChanged = Uint8Array.from(sealed);
    headerChanged[5] = headerChanged[5]! ^ 0xff;
    assert.equal(await decryptFrame(subtle, keys(), 'vp8', headerChanged), null);
    const counterChanged = Uint8Array.from(sealed);
    counterChanged[sealed.length - 2] = counterChanged[sealed.length - 2]! ^ 0x01;
    assert.equal(await decryptFrame(subtle, keys(), 'vp8', counterChanged), null);
    const other = await frameKeyFrom(subtle, random(32), 3);
    assert.equal(await decryptFrame(subtle, () => other, 'vp8', sealed), null);
    assert.equal(await decryptFrame(subtle, () => undefined, 'vp8', sealed), null);
    assert.equal(await decryptFrame(subtle, keys(), 'vp8', frame.subarray(0, 10)), null, 'too short');
  });

  it('never repeats a ciphertext for the same frame under two counters', async () => {
    const frame = random(120);
    const a = await encryptFrame(subtle, key, 1n, 'opus', frame);
    const b = await encryptFrame(subtle, key, 2n, 'opus', frame);
    assert.notDeepEqual(a.subarray(1, 121), b.subarray(1, 121));
  });

  it('two browsers agree a pairwise key by ECDH and pass a sender key only to each other', async () => {
    const alice = await newIdentity(subtle);
    const bob = await newIdentity(subtle);
    const eve = await newIdentity(subtle);
    const aliceToBob = await pairwiseKey(subtle, alice.privateKey, bob.publicRaw);
    const bobFromAlice = await pairwiseKey(subtle, bob.privateKey, alice.publicRaw);
    const eveFromAlice = await pairwiseKey(subtle, eve.privateKey, alice.publicRaw);
    const secret = random(32);
    const sealed = await wrapSecret(subtle, aliceToBob, secret, binding);
    assert.deepEqual(await unwrapSecret(subtle, bobFromAlice, sealed, binding), secret);
    assert.equal(
      await unwrapSecret(subtle, eveFromAlice, sealed, binding),
      null,
      'a third browser cannot open it',
    );
    // The frame keys both sides derive from the same sender key open each other's frames.
    const sent = await encryptFrame(subtle, await frameKeyFrom(subtle, secret, 1), 9n, 'vp8', vp8(false));
    const received = await frameKeyFrom(
      subtle,
      (await unwrapSecret(subtle, bobFromAlice, sealed, binding))!,
      1,
    );
    assert.ok(await decryptFrame(subtle, () => received, 'vp8', sent));
  });

  it('opens a sealed sender key only as what it was sealed for: epoch, sender, recipient and room', async () => {
    const alice = await newIdentity(subtle);
    const bob = await newIdentity(subtle);
    const aliceToBob = await pairwiseKey(subtle, alice.privateKey, bob.publicRaw);
    const bobFromAlice = await pairwiseKey(subtle, bob.privateKey, alice.publicRaw);
    const secret = random(32);
    const sealed = await wrapSecret(subtle, aliceToBob, secret, { ...binding, epoch: 3 });
    assert.deepEqual(await unwrapSecret(subtle, bobFromAlice, sealed, { ...binding, epoch: 3 }), secret);
    // The relay replays epoch 3's sealed key as epoch 4 (Bob would take a stale key for Alice's new one).
    assert.equal(
      await unwrapSecret(subtle, bobFromAlice, sealed, { ...binding, epoch: 4 }),
      null,
      'relabelled epoch',
    );
    // Reflected: Alice's key for Bob handed back to Alice as if Bob had sent it (same pairwise key both ways).
    const reflected = { ...binding, epoch: 3, fromId: binding.toId, toId: binding.fromId };
    assert.equal(await unwrapSecret(subtle, aliceToBob, sealed, reflected), null, 'reflected to its sender');
    assert.equal(
      await unwrapSecret(subtle, bobFromAlice, sealed, { ...binding, epoch: 3, roomId: 'another-room' }),
      null,
      'another room',
    );
  });

  it('takes only a later epoch from a sender: a replay of this epoch or an earlier one is refused', () => {
    assert.equal(isLaterEpoch(undefined, 1), true, 'the first key from someone');
    assert.equal(isLaterEpoch(1, 2), true);
    assert.equal(isLaterEpoch(2, 2), false, 'the same epoch again');
    assert.equal(isLaterEpoch(5, 2), false, 'an earlier epoch');
    assert.equal(isLaterEpoch(255, 0), true, 'the key id wraps after 255');
    assert.equal(isLaterEpoch(0, 255), false, 'and an epoch just before the wrap is earlier');
  });

  it('gives every page the same safety code for the same keys, and another one if any key differs', async () => {
    const a = (await newIdentity(subtle)).publicRaw;
    const b = (await newIdentity(subtle)).publicRaw;
    const m = (await newIdentity(subtle)).publicRaw;
    const code = await safetyCode(subtle, [a, b]);
    assert.match(code, /^\d{5} \d{5} \d{5} \d{5} \d{5}$/);
    assert.equal(await safetyCode(subtle, [b, a]), code, 'order does not matter');
    assert.notEqual(await safetyCode(subtle, [a, m]), code, 'someone in between shows a different code');
  });
});
