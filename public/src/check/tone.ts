/** A short, soft two-note chime made with WebAudio (no sound file), on the chosen speaker. */
export async function playTone(context: AudioContext, sinkId: string): Promise<void> {
  if (context.state === 'suspended') await context.resume();
  const withSink = context as AudioContext & { setSinkId?: (id: string) => Promise<void> };
  if (sinkId && typeof withSink.setSinkId === 'function') await withSink.setSinkId(sinkId).catch(() => {});
  const start = context.currentTime + 0.05;
  for (const [i, frequency] of [523.25, 659.25].entries()) {
    const osc = context.createOscillator();
    const gain = context.createGain();
    osc.type = 'sine';
    osc.frequency.value = frequency;
    const at = start + i * 0.45;
    // A quick fade in and a longer fade out: no clicks, nothing harsh.
    gain.gain.setValueAtTime(0, at);
    gain.gain.linearRampToValueAtTime(0.25, at + 0.03);
    gain.gain.exponentialRampToValueAtTime(0.001, at + 0.8);
    osc.connect(gain).connect(context.destination);
    osc.start(at);
    osc.stop(at + 0.85);
  }
  await new Promise((resolve) => setTimeout(resolve, 1400));
}
