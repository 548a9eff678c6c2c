/**
 * The room's encoded-transform worker (public/build/e2ee-worker.js): every encoded audio and video
 * frame of an end-to-end encrypted session passes through here, on its way out to be encrypted and
 * on its way in to be decrypted (frame-crypto.ts has the format). The page gives it the keys
 * (room/e2ee/e2ee-session.ts); it never sends a frame it could not encrypt, and never hands the
 * decoder a frame it could not open: a receiver without the sender's key shows no picture.
 */
import {
  decryptFrame,
  encryptFrame,
  frameKeyFrom,
  type Bytes,
  type FrameCodec,
  type FrameKey,
} from './room/e2ee/frame-crypto';
import type { TransformOptions, WorkerMessage, WorkerReport } from './room/e2ee/worker-messages';

/** The parts of the Encoded Transform API a worker sees (lib.webworker's, which this bundle's DOM lib lacks). */
interface EncodedFrame {
  data: ArrayBuffer;
}
interface ScriptTransformer {
  readonly readable: ReadableStream<EncodedFrame>;
  readonly writable: WritableStream<EncodedFrame>;
  readonly options: TransformOptions;
  generateKeyFrame?(): Promise<void>;
  sendKeyFrameRequest?(): Promise<void>;
}
interface WorkerScope {
  onrtctransform: ((event: { transformer: ScriptTransformer }) => void) | null;
  onmessage: ((event: MessageEvent<WorkerMessage>) => void) | null;
  postMessage(message: WorkerReport): void;
}
const scope = globalThis as unknown as WorkerScope;
const subtle = crypto.subtle;

/** How many of a sender's keys are kept: frames under the previous key still open after a re-key. */
const KEYS_KEPT = 2;

/** Our sender key (null until the page has drawn one: nothing is sent before). */
let sendKey: FrameKey | null = null;
/** Counts up across keys, so no (key, counter) pair repeats. */
let counter = 0n;
/** Each sender's recent keys, by key id. */
const peerKeys = new Map<string, Map<number, FrameKey>>();
/** The live transformers, to ask for key frames when a key changes. */
const senders = new Set<ScriptTransformer>();
const receivers = new Set<ScriptTransformer>();
const counts: WorkerReport = { type: 'counts', encrypted: 0, decrypted: 0, undecryptable: 0, unsent: 0 };

const codecOf = (o: TransformOptions): FrameCodec => (o.kind === 'audio' ? 'opus' : 'vp8');

scope.onmessage = (event) => {
  void handle(event.data);
};

async function handle(message: WorkerMessage): Promise<void> {
  if (message.type === 'send-key') {
    sendKey = await frameKeyFrom(subtle, new Uint8Array(message.secret), message.keyId);
    // Receivers holding the new key start decoding at once on a key frame.
    for (const t of senders) if (t.options.kind === 'video') void t.generateKeyFrame?.().catch(() => {});
  } else if (message.type === 'peer-key') {
    const keys = peerKeys.get(message.peerId) ?? new Map<number, FrameKey>();
    keys.set(message.keyId, await frameKeyFrom(subtle, new Uint8Array(message.secret), message.keyId));
    while (keys.size > KEYS_KEPT) keys.delete(keys.keys().next().value as number);
    peerKeys.set(message.peerId, keys);
    for (const t of receivers)
      if (t.options.peerId === message.peerId && t.options.kind === 'video')
        void t.sendKeyFrameRequest?.().catch(() => {});
  } else if (message.type === 'forget-peer') {
    peerKeys.delete(message.peerId);
  } else if (message.type === 'report') {
    scope.postMessage({ ...counts });
  }
}

scope.onrtctransform = ({ transformer }) => {
  const options = transformer.options;
  const codec = codecOf(options);
  const outgoing = options.side === 'send';
  (outgoing ? senders : receivers).add(transformer);
  const stream = new TransformStream<EncodedFrame, EncodedFrame>({
    async transform(frame, controller) {
      const data = new Uint8Array(frame.data) as Bytes;
      if (outgoing) {
        const key = sendKey;
        if (!key) {
          counts.unsent += 1; // no key yet: dropped, never sent in the clear
          return;
        }
        const sealed = await encryptFrame(subtle, key, counter, codec, data);
        counter += 1n;
        frame.data = sealed.buffer;
        counts.encrypted += 1;
        controller.enqueue(frame);
        return;
      }
      const keys = peerKeys.get(options.peerId ?? '');
      const opened = await decryptFrame(subtle, (id) => keys?.get(id), codec, data);
      if (!opened) {
        counts.undecryptable += 1;
        return;
      }
      frame.data = opened.buffer;
      counts.decrypted += 1;
      controller.enqueue(frame);
    },
  });
  void transformer.readable
    .pipeThrough(stream)
    .pipeTo(transformer.writable)
    .catch(() => {})
    .finally(() => (outgoing ? senders : receivers).delete(transformer));
};
