import type { ProducerView } from '../../../server/protocol';

/**
 * At most this long after the consumers made ahead are wired (ms), our own sending waits for the
 * first remote frame. On a busy machine the first frame came well past it (up to a second at a load
 * of 13 on 2 cores); waiting longer would only delay the others' view of us for nothing.
 */
export const FIRST_FRAME_HOLD_MS = 300;

/** What `receivingFirst` needs of the stage. */
export interface FirstFrameWatch {
  /** Resolves when the first remote frame of this entry is shown, or after `ms`. */
  firstFrameOrAfter(ms: number): Promise<void>;
}

/**
 * Entering a call, the person admitted should see the others first. Our microphone and camera
 * going out at the same moment (a send-transport SDP round, its ICE and DTLS, three VP8 encoders
 * starting, and the other browsers wiring up our tracks) competed with the first remote frame in
 * both browsers: the receive SDP round queued behind the send one on the browser's one WebRTC
 * signalling thread (admitted → consumed 65–95 ms instead of 30–40), and the sender's keyframe was
 * encoded while its own browser set up our tracks. So when consumers were made ahead, sending
 * starts once they are wired and the first remote video frame is shown, or FIRST_FRAME_HOLD_MS
 * after wiring, whichever comes first. Without adopted video (audio-only, nothing sent yet, a
 * rebuild, a page that could not prepare) nothing is held: there is no frame to wait for.
 */
export async function receivingFirst(
  adoption: Promise<ReadonlySet<string>>,
  wanted: readonly ProducerView[],
  stage: FirstFrameWatch,
): Promise<void> {
  const covered = await adoption;
  if (!wanted.some((p) => p.kind === 'video' && covered.has(p.producerId))) return;
  await stage.firstFrameOrAfter(FIRST_FRAME_HOLD_MS);
}
