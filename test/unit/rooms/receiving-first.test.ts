import assert from 'node:assert/strict';
import { FIRST_FRAME_HOLD_MS, receivingFirst } from '../../../public/src/room/receiving-first';
import type { ProducerView } from '../../../server/protocol';

const producer = (producerId: string, kind: 'audio' | 'video'): ProducerView => ({
  producerId,
  peerId: 'therapist',
  kind,
  source: kind === 'audio' ? 'mic' : 'camera',
  paused: false,
});
const wanted = [producer('mic-1', 'audio'), producer('cam-1', 'video')];

/** A stage whose first frame the test shows; it records how long each wait was allowed to be. */
function stage(): { asked: number[]; showFirstFrame(): void; firstFrameOrAfter(ms: number): Promise<void> } {
  const asked: number[] = [];
  let show: () => void = () => {};
  const shown = new Promise<void>((resolve) => (show = resolve));
  return {
    asked,
    showFirstFrame: () => show(),
    firstFrameOrAfter(ms: number) {
      asked.push(ms);
      return shown;
    },
  };
}

/** Whether `promise` has settled once everything already queued has run. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  void promise.then(() => (done = true));
  await new Promise((resolve) => setImmediate(resolve));
  return done;
}

describe('receiving first: our sending waits for the first remote frame of an entry', () => {
  it('with video adopted, sending waits for the first frame (bounded by FIRST_FRAME_HOLD_MS)', async () => {
    const s = stage();
    const hold = receivingFirst(Promise.resolve(new Set(['mic-1', 'cam-1'])), wanted, s);
    assert.equal(await settled(hold), false, 'sending started before any remote frame was shown');
    assert.deepEqual(s.asked, [FIRST_FRAME_HOLD_MS]);
    s.showFirstFrame();
    assert.equal(await settled(hold), true);
  });

  it('waits for the wiring first: nothing is asked of the stage before the consumers are adopted', async () => {
    const s = stage();
    let adopt: (covered: Set<string>) => void = () => {};
    const adoption = new Promise<Set<string>>((resolve) => (adopt = resolve));
    const hold = receivingFirst(adoption, wanted, s);
    assert.equal(await settled(hold), false);
    assert.deepEqual(s.asked, []);
    adopt(new Set(['mic-1', 'cam-1']));
    await settled(hold);
    assert.deepEqual(s.asked, [FIRST_FRAME_HOLD_MS]);
  });

  it('holds nothing when no video was adopted: audio only, nothing made ahead, or the wiring failed', async () => {
    for (const covered of [new Set(['mic-1']), new Set<string>()]) {
      const s = stage();
      assert.equal(await settled(receivingFirst(Promise.resolve(covered), wanted, s)), true);
      assert.deepEqual(s.asked, []);
    }
    // A video producer this page does not receive (audio-only mode leaves it out of `wanted`).
    const s = stage();
    const audioOnly = [producer('mic-1', 'audio')];
    assert.equal(
      await settled(receivingFirst(Promise.resolve(new Set(['mic-1', 'cam-1'])), audioOnly, s)),
      true,
    );
    assert.deepEqual(s.asked, []);
  });
});
