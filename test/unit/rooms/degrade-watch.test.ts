import assert from 'node:assert/strict';
import { DegradeWatch, type DegradeDeps } from '../../../public/src/room/degrade';
import type { MediaStats } from '../../../public/src/room/media-stats';

/** A page's worth of counters: `received` and `lost` grow by what each 2-second interval saw. */
function page(): {
  deps: DegradeDeps;
  calls: string[];
  /** Every level the quality meter was asked to show, in order. */
  shown: string[];
  offer: { hidden: boolean };
  notice: { textContent: string | null };
  interval(received: number, lost: number, extra?: Partial<MediaStats>): void;
} {
  const calls: string[] = [];
  const shown: string[] = [];
  const offer = { hidden: true };
  const notice = { textContent: '' as string | null };
  let totals = { received: 0, lost: 0 };
  let extraStats: Partial<MediaStats> = {};
  const deps: DegradeDeps = {
    stats: async () => ({
      videoFramesDecoded: 0,
      audioPacketsReceived: 0,
      videoFramesSent: 0,
      audioPacketsSent: 0,
      packetsLost: totals.lost,
      packetsReceived: totals.received,
      roundTripMs: 40,
      availableOutgoingBitrate: 1_200_000,
      inboundVideoTracks: 1,
      videoTracksDecoding: 1,
      audioTracksReceiving: 1,
      ...extraStats,
    }),
    offer,
    notice,
    applyLayers: async () => void calls.push('layers'),
    setMaxSendLayer: async (layer) => void calls.push(`send-layer ${layer}`),
    setAudioOnly: async (on) => void calls.push(`audio-only ${on}`),
    announce: (text) => void calls.push(`say ${text}`),
    showLevel: (level) => void shown.push(level),
    words: {
      audioOnly:
        'Your connection is very weak, so video is paused and this is now audio only. Video comes back when the connection improves.',
      improved: 'Your connection has improved: video is back on.',
      reduced: 'Your connection is weak: video quality is lowered to keep the session going.',
      offer: 'Your connection is weak. Switch to audio only?',
    },
  };
  return {
    deps,
    calls,
    shown,
    offer,
    notice,
    interval(received, lost, extra = {}) {
      totals = { received: totals.received + received, lost: totals.lost + lost };
      extraStats = extra;
    },
  };
}

async function samples(
  watch: DegradeWatch,
  p: ReturnType<typeof page>,
  n: number,
  received: number,
  lost: number,
): Promise<void> {
  for (let i = 0; i < n; i += 1) {
    p.interval(received, lost);
    await watch.sample();
  }
}

describe('degrade watch (what the page does on a weak connection)', () => {
  it('lowers layers both ways, asks about audio-only, applies it at the extreme and says so, then recovers', async () => {
    const p = page();
    const watch = new DegradeWatch(p.deps);
    await samples(watch, p, 1, 500, 0); // baseline
    assert.equal(watch.maxReceiveLayer, 2);

    await samples(watch, p, 3, 460, 40); // 8% loss
    assert.equal(watch.level, 'reduced');
    assert.equal(watch.maxReceiveLayer, 0);
    assert.deepEqual(p.calls.slice(-2), ['send-layer 0', 'layers']);
    assert.match(p.notice.textContent ?? '', /video quality is lowered/);
    assert.equal(p.offer.hidden, true);

    await samples(watch, p, 3, 460, 40);
    assert.equal(watch.level, 'offer-audio');
    assert.equal(p.offer.hidden, false, 'the question is on screen');
    assert.ok(p.calls.includes('say Your connection is weak. Switch to audio only?'));

    await samples(watch, p, 5, 300, 200); // 40% loss
    assert.equal(watch.level, 'audio-only');
    assert.ok(p.calls.includes('audio-only true'));
    assert.equal(p.offer.hidden, true);
    assert.match(p.notice.textContent ?? '', /video is paused and this is now audio only/);

    await samples(watch, p, 5, 500, 0);
    assert.equal(watch.level, 'reduced');
    assert.ok(p.calls.includes('audio-only false'), 'video comes back when the connection improves');
    assert.match(p.notice.textContent ?? '', /improved: video is back on/);

    await samples(watch, p, 10, 500, 0);
    assert.equal(watch.level, 'normal');
    assert.equal(p.notice.textContent, '');
    assert.equal(p.calls.at(-2), 'send-layer 2');
    // The page's one quality meter showed exactly the levels the governor went through.
    const steps = p.shown.filter((level, i) => level !== p.shown[i - 1]);
    assert.deepEqual(steps, ['normal', 'reduced', 'offer-audio', 'audio-only', 'reduced', 'normal']);
  });

  it('"keep video" hides the question; a choice of audio-only by the person is never undone', async () => {
    const p = page();
    const watch = new DegradeWatch(p.deps);
    await samples(watch, p, 7, 460, 40);
    assert.equal(p.offer.hidden, false);
    await watch.keepVideo();
    assert.equal(p.offer.hidden, true);
    assert.equal(watch.level, 'reduced');

    watch.personChose(true);
    await samples(watch, p, 30, 500, 0);
    await samples(watch, p, 30, 300, 200);
    assert.ok(!p.calls.includes('audio-only false') && !p.calls.includes('audio-only true'));
  });
});
