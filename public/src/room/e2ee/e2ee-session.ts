/**
 * End-to-end encryption on the room page (issue 23, item 3; docs/media.md "End-to-end encrypted
 * sessions"). This page's ECDH key pair, the others' public keys as the server relays them, our
 * sender key sealed for each of them, theirs opened and handed to the encoded-transform worker, and
 * the safety code. A new sender key is drawn whenever the set of people changes, so someone who
 * left cannot read what follows, and someone who joins cannot read what came before.
 */
import type { E2eePublicKey } from '../../../../server/protocol';
import type { Signaling } from '../signaling';
import {
  isLaterEpoch,
  newIdentity,
  pairwiseKey,
  safetyCode,
  unwrapSecret,
  wrapSecret,
  type Bytes,
} from './frame-crypto';
import type { TransformOptions, WorkerMessage, WorkerReport } from './worker-messages';

type CryptoKeyLike = Awaited<ReturnType<typeof pairwiseKey>>;

const toBase64 = (bytes: Bytes): string => btoa(String.fromCharCode(...bytes));
const fromBase64 = (text: string): Bytes => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

/** Whether this browser can encrypt media frames (the Encoded Transform API in a worker). */
export function canEncryptMedia(): boolean {
  return typeof RTCRtpScriptTransform === 'function' && typeof Worker === 'function';
}

export interface E2eeEvents {
  /** The safety code for everyone in the call now (null while alone or not yet keyed). */
  onSafetyCode(code: string | null): void;
}

export class E2eeSession {
  readonly #signal: Signaling;
  readonly #roomId: string;
  readonly #selfId: string;
  readonly #events: E2eeEvents;
  readonly #worker: Worker;
  readonly #identity: ReturnType<typeof newIdentity>;
  /** The others' public keys (base64) and the pairwise key derived with each. */
  readonly #peers = new Map<string, { publicKey: string; pairwise: Promise<CryptoKeyLike> }>();
  /**
   * The latest epoch taken from each sender ("id:public key"), kept across resets: a sealed key for
   * that epoch or an earlier one is a replay, refused. A sender who reloads has a new public key.
   */
  readonly #taken = new Map<string, number>();
  /** Sealed keys that arrived before the sender's public key (kept until the next `e2ee:keys`). */
  readonly #early: Array<{ fromId: string; epoch: number; sealed: string }> = [];
  /** Who our current sender key was drawn for ("id:key" joined), to re-key only on a change. */
  #keyedFor: string | null = null;
  #keyId = 0;
  #report: WorkerReport | null = null;
  #turn: Promise<void> = Promise.resolve();
  #announced: Promise<void> = Promise.resolve();
  #closed = false;

  constructor(signal: Signaling, roomId: string, selfId: string, events: E2eeEvents) {
    this.#signal = signal;
    this.#roomId = roomId;
    this.#selfId = selfId;
    this.#events = events;
    this.#worker = new Worker('/build/e2ee-worker.js', { name: 'haven-e2ee' });
    this.#worker.onmessage = (event: MessageEvent<WorkerReport>) => {
      this.#report = event.data;
    };
    this.#identity = newIdentity(crypto.subtle);
    // One push at a time, in the order they came: a re-key must not interleave with the next one.
    signal.on('e2ee:keys', ({ keys }) => this.#inTurn(() => this.#keysChanged(keys)));
    signal.on('e2ee:sender-key', (sealed) => this.#inTurn(() => this.#openSenderKey(sealed)));
  }

  /**
   * Back to the start of keying (a join, or moved back to the waiting room): the others' keys are
   * forgotten, and the next `e2ee:keys` draws a new sender key even if the same people are there
   * (they forgot ours when we left their call).
   */
  reset(): void {
    for (const peerId of this.#peers.keys()) this.#post({ type: 'forget-peer', peerId });
    this.#peers.clear();
    this.#early.length = 0;
    this.#keyedFor = null;
    this.#events.onSafetyCode(null);
  }

  /** Says our public key (on every join: the server forgets it when the page reconnects). */
  announce(): Promise<void> {
    this.reset();
    this.#announced = this.#identity.then(async ({ publicRaw }) => {
      await this.#signal.request('e2ee:announce', { roomId: this.#roomId, publicKey: toBase64(publicRaw) });
    });
    return this.#announced;
  }

  /** Settles once the server has our key for this join: only then does it take media from us. */
  get announced(): Promise<void> {
    return this.#announced;
  }

  /** Encrypts what this sender sends (set before its first frame: nothing leaves in the clear). */
  protect(sender: RTCRtpSender, kind: 'audio' | 'video'): void {
    sender.transform = new RTCRtpScriptTransform(this.#worker, {
      side: 'send',
      kind,
    } satisfies TransformOptions);
  }

  /** Decrypts what this receiver gets with `peerId`'s sender key. */
  open(receiver: RTCRtpReceiver, kind: 'audio' | 'video', peerId: string): void {
    receiver.transform = new RTCRtpScriptTransform(this.#worker, {
      side: 'recv',
      kind,
      peerId,
    } satisfies TransformOptions);
  }

  /** The worker's frame counts (asked for now, answered by the next call). */
  counts(): WorkerReport | null {
    this.#post({ type: 'report' });
    return this.#report;
  }

  close(): void {
    this.#closed = true;
    this.#worker.terminate();
  }

  async #keysChanged(keys: readonly E2eePublicKey[]): Promise<void> {
    if (this.#closed) return;
    const others = keys.filter((k) => k.peerId !== this.#selfId);
    for (const id of [...this.#peers.keys()]) {
      if (!others.some((k) => k.peerId === id)) {
        this.#peers.delete(id);
        this.#post({ type: 'forget-peer', peerId: id });
      }
    }
    const { privateKey, publicRaw } = await this.#identity;
    for (const k of others) {
      if (this.#peers.get(k.peerId)?.publicKey === k.publicKey) continue;
      this.#peers.set(k.peerId, {
        publicKey: k.publicKey,
        pairwise: pairwiseKey(crypto.subtle, privateKey, fromBase64(k.publicKey)),
      });
    }
    const mine = toBase64(publicRaw);
    const listed = keys.some((k) => k.peerId === this.#selfId && k.publicKey === mine);
    this.#events.onSafetyCode(
      listed && others.length > 0
        ? await safetyCode(
            crypto.subtle,
            keys.map((k) => fromBase64(k.publicKey)),
          )
        : null,
    );
    for (const early of this.#early.splice(0)) await this.#openSenderKey(early);
    const audience = others
      .map((k) => `${k.peerId}:${k.publicKey}`)
      .sort()
      .join(',');
    if (audience !== this.#keyedFor) {
      this.#keyedFor = audience;
      await this.#rekey();
    }
  }

  /** A new sender key: ours from now on, sealed for each person in the call now. */
  async #rekey(): Promise<void> {
    const secret = crypto.getRandomValues(new Uint8Array(32));
    this.#keyId = (this.#keyId + 1) & 0xff;
    const keyId = this.#keyId;
    await Promise.all(
      [...this.#peers].map(async ([toId, peer]) => {
        const binding = { roomId: this.#roomId, fromId: this.#selfId, toId, epoch: keyId };
        const sealed = await wrapSecret(crypto.subtle, await peer.pairwise, secret, binding);
        await this.#signal
          .request('e2ee:sender-key', { roomId: this.#roomId, toId, epoch: keyId, sealed: toBase64(sealed) })
          .catch(() => {}); // they left meanwhile: the next e2ee:keys re-keys anyway
      }),
    );
    // Switched after the others have it on its way, so little of what they receive waits for it.
    this.#post({ type: 'send-key', keyId, secret: secret.buffer });
  }

  async #openSenderKey(input: { fromId: string; epoch: number; sealed: string }): Promise<void> {
    const peer = this.#peers.get(input.fromId);
    if (!peer) {
      this.#early.push(input);
      return;
    }
    const sender = `${input.fromId}:${peer.publicKey}`;
    if (!isLaterEpoch(this.#taken.get(sender), input.epoch)) return; // a replay: this epoch or earlier
    const binding = { roomId: this.#roomId, fromId: input.fromId, toId: this.#selfId, epoch: input.epoch };
    const secret = await unwrapSecret(crypto.subtle, await peer.pairwise, fromBase64(input.sealed), binding);
    // Not sealed with our pairwise key for this sender, recipient, room and epoch (someone in
    // between, a stale key relabelled as a newer epoch, or ours reflected back): it opens nothing.
    if (!secret) return;
    this.#taken.set(sender, input.epoch);
    this.#post({ type: 'peer-key', peerId: input.fromId, keyId: input.epoch, secret: secret.buffer });
  }

  #inTurn(work: () => Promise<void>): void {
    this.#turn = this.#turn.then(work).catch(() => {});
  }

  #post(message: WorkerMessage): void {
    if (this.#closed) return;
    const transfer = 'secret' in message ? [message.secret] : [];
    this.#worker.postMessage(message, transfer);
  }
}
