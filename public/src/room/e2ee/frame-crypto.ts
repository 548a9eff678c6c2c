/**
 * End-to-end encryption of a session's media frames (issue 23, item 3), the part that does not
 * touch the DOM: it runs in the encoded-transform worker and in Node's unit tests alike.
 *
 * Frame format, SFrame-like (RFC 9605's ideas, not its exact wire format):
 *
 *     | clear codec header | AES-GCM ciphertext + 16-byte tag | counter (8, big-endian) | key id (1) |
 *
 * The clear header is what the SFU and the packetizer must read and nothing more: the VP8 payload
 * header (10 bytes on a key frame, 3 otherwise) and the Opus TOC byte. It is authenticated as
 * additional data together with the trailer, so nobody on the path can alter it unnoticed. The
 * nonce is the sender key's salt XOR the frame counter (SFrame's construction): a counter is never
 * reused under one key because every sender has its own key and counts up.
 *
 * Keys: every browser has an ECDH P-256 key pair; the server only relays public keys. Each sender
 * draws a random sender key and hands it to every other participant wrapped under their pairwise
 * ECDH secret (HKDF-SHA-256); a join or a leave makes every sender draw a new one. The safety code
 * is a digest of all participants' public keys, the same on every page when no one is in between.
 */

export type FrameCodec = 'vp8' | 'opus';

/**
 * WebCrypto as both the browser (DOM lib) and Node (its global `crypto`) declare it: this file is
 * compiled for the page's worker and for the unit tests.
 */
type SubtleCrypto = (typeof globalThis)['crypto']['subtle'];
type CryptoKey = Awaited<ReturnType<SubtleCrypto['importKey']>>;
/** Bytes backed by a plain ArrayBuffer, as WebCrypto takes them. */
export type Bytes = Uint8Array<ArrayBuffer>;
type BufferSource = Bytes | ArrayBuffer;

/** Counter and key id after the ciphertext. */
export const TRAILER_BYTES = 9;
const TAG_BYTES = 16;
const ECDH = { name: 'ECDH', namedCurve: 'P-256' } as const;

/** A sender key as used for frames: AES-GCM-128 key, 12-byte salt, and its id in the trailer. */
export interface FrameKey {
  readonly id: number;
  readonly key: CryptoKey;
  readonly salt: Bytes;
}

/**
 * How many leading bytes stay in the clear. VP8's frame tag says whether this is a key frame (bit 0
 * of the first byte is 0); the receiver reads the same bytes, so both ends agree without a flag.
 */
export function clearLength(codec: FrameCodec, data: Bytes): number {
  if (data.length === 0) return 0;
  if (codec === 'opus') return 1;
  const keyFrame = ((data[0] as number) & 0x01) === 0;
  return Math.min(data.length, keyFrame ? 10 : 3);
}

function concat(...parts: readonly Bytes[]): Bytes {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function trailer(counter: bigint, keyId: number): Bytes {
  const out = new Uint8Array(TRAILER_BYTES);
  new DataView(out.buffer).setBigUint64(0, counter);
  out[8] = keyId & 0xff;
  return out;
}

/** SFrame's nonce: the key's salt XOR the counter, right-aligned. */
export function nonceFor(salt: Bytes, counter: bigint): Bytes {
  const nonce = Uint8Array.from(salt);
  const ctr = new Uint8Array(8);
  new DataView(ctr.buffer).setBigUint64(0, counter);
  for (let i = 0; i < 8; i += 1) nonce[4 + i] = (nonce[4 + i] as number) ^ (ctr[i] as number);
  return nonce;
}

async function hkdf(
  subtle: SubtleCrypto,
  secret: BufferSource,
  info: string,
  bits: number,
): Promise<ArrayBuffer> {
  const base = await subtle.importKey('raw', secret, 'HKDF', false, ['deriveBits']);
  return subtle.deriveBits(
    { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: new TextEncoder().encode(info) },
    base,
    bits,
  );
}

/** A frame key from 32 secret bytes (a sender key): AES-GCM-128 and a 12-byte salt, by HKDF. */
export async function frameKeyFrom(subtle: SubtleCrypto, secret: Bytes, id: number): Promise<FrameKey> {
  const material = new Uint8Array(await hkdf(subtle, secret, 'haven-e2ee frame v1', 28 * 8));
  const key = await subtle.importKey('raw', material.slice(0, 16), 'AES-GCM', false, ['encrypt', 'decrypt']);
  return { id, key, salt: material.slice(16, 28) };
}

export async function encryptFrame(
  subtle: SubtleCrypto,
  key: FrameKey,
  counter: bigint,
  codec: FrameCodec,
  data: Bytes,
): Promise<Bytes> {
  const n = clearLength(codec, data);
  const clear = data.subarray(0, n);
  const tail = trailer(counter, key.id);
  const sealed = await subtle.encrypt(
    { name: 'AES-GCM', iv: nonceFor(key.salt, counter), additionalData: concat(clear, tail) },
    key.key,
    data.subarray(n),
  );
  return concat(clear, new Uint8Array(sealed), tail);
}

/**
 * The frame as it was sent, or null when it cannot be opened here (no key with its id, a wrong
 * key, or any byte changed on the way): the page then shows no picture rather than noise.
 */
export async function decryptFrame(
  subtle: SubtleCrypto,
  keyFor: (id: number) => FrameKey | undefined,
  codec: FrameCodec,
  data: Bytes,
): Promise<Bytes | null> {
  if (data.length < TRAILER_BYTES + TAG_BYTES) return null;
  const tail = data.subarray(data.length - TRAILER_BYTES);
  const key = keyFor(tail[8] as number);
  if (!key) return null;
  const counter = new DataView(tail.buffer, tail.byteOffset, 8).getBigUint64(0);
  const body = data.subarray(0, data.length - TRAILER_BYTES);
  const n = Math.min(clearLength(codec, body), body.length - TAG_BYTES);
  const clear = body.subarray(0, n);
  try {
    const opened = await subtle.decrypt(
      { name: 'AES-GCM', iv: nonceFor(key.salt, counter), additionalData: concat(clear, tail) },
      key.key,
      body.subarray(n),
    );
    return concat(clear, new Uint8Array(opened));
  } catch {
    return null;
  }
}

/** This browser's ECDH key pair and its public key as raw bytes (what the server relays). */
export async function newIdentity(
  subtle: SubtleCrypto,
): Promise<{ readonly privateKey: CryptoKey; readonly publicRaw: Bytes }> {
  const pair = await subtle.generateKey(ECDH, false, ['deriveBits']);
  return {
    privateKey: pair.privateKey,
    publicRaw: new Uint8Array(await subtle.exportKey('raw', pair.publicKey)),
  };
}

/** The AES-GCM key two browsers share (ECDH, then HKDF): it wraps sender keys between them. */
export async function pairwiseKey(
  subtle: SubtleCrypto,
  privateKey: CryptoKey,
  peerPublicRaw: Bytes,
): Promise<CryptoKey> {
  const peer = await subtle.importKey('raw', peerPublicRaw, ECDH, false, []);
  const shared = await subtle.deriveBits({ name: 'ECDH', public: peer }, privateKey, 256);
  const material = await hkdf(subtle, shared, 'haven-e2ee wrap v1', 128);
  return subtle.importKey('raw', material, 'AES-GCM', false, ['encrypt', 'decrypt']);
}

/**
 * What a sealed sender key is for: whose key, to whom, in which room, and which of the sender's keys
 * (its epoch, the key id its frames carry). It is the sealing's additional data, so the key opens only
 * for exactly this. Without it the relay could hand an old sealed key on as a newer epoch (the page
 * would install a stale key), or reflect B's key for A back to B as if A had sent it (the pairwise
 * key is the same both ways).
 */
export interface SenderKeyBinding {
  readonly roomId: string;
  readonly fromId: string;
  readonly toId: string;
  readonly epoch: number;
}

function bindingBytes(b: SenderKeyBinding): Bytes {
  // NUL cannot occur in an id (UUIDs), so the fields cannot run into each other.
  const text = ['haven-e2ee sender-key v2', b.roomId, b.fromId, b.toId, String(b.epoch)].join('\0');
  return new TextEncoder().encode(text);
}

/** A sender key sealed for one peer: 12-byte random nonce, then AES-GCM of the 32 secret bytes. */
export async function wrapSecret(
  subtle: SubtleCrypto,
  pairwise: CryptoKey,
  secret: Bytes,
  binding: SenderKeyBinding,
): Promise<Bytes> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const additionalData = bindingBytes(binding);
  return concat(
    iv,
    new Uint8Array(await subtle.encrypt({ name: 'AES-GCM', iv, additionalData }, pairwise, secret)),
  );
}

/**
 * The sender key a peer sealed for us, or null if it was not sealed with our pairwise key for this
 * binding (another epoch, sender, recipient or room than the one it arrived as).
 */
export async function unwrapSecret(
  subtle: SubtleCrypto,
  pairwise: CryptoKey,
  sealed: Bytes,
  binding: SenderKeyBinding,
): Promise<Bytes | null> {
  try {
    const iv = sealed.subarray(0, 12);
    const additionalData = bindingBytes(binding);
    return new Uint8Array(
      await subtle.decrypt({ name: 'AES-GCM', iv, additionalData }, pairwise, sealed.subarray(12)),
    );
  } catch {
    return null;
  }
}

/**
 * Whether `next` is a later epoch than `last` from the same sender (their key ids count up by one a
 * re-key and wrap at 256: RFC 1982 serial-number order, a window of 127 ahead). A sealed key for an
 * epoch already taken, or an earlier one, is a replay and is refused.
 */
export function isLaterEpoch(last: number | undefined, next: number): boolean {
  if (last === undefined) return true;
  const ahead = (next - last) & 0xff;
  return ahead >= 1 && ahead <= 127;
}

/**
 * The safety code every page shows: SHA-256 over the participants' public keys in a fixed order,
 * read as five groups of five digits ("12345 67890 …"), short enough to read aloud and compare.
 */
export async function safetyCode(subtle: SubtleCrypto, publicKeys: readonly Bytes[]): Promise<string> {
  const hex = (k: Bytes) => [...k].map((b) => b.toString(16).padStart(2, '0')).join('');
  const sorted = [...publicKeys].sort((a, b) => (hex(a) < hex(b) ? -1 : hex(a) > hex(b) ? 1 : 0));
  const digest = new DataView(await subtle.digest('SHA-256', concat(...sorted)));
  const groups: string[] = [];
  for (let i = 0; i < 5; i += 1) groups.push(String(digest.getUint32(i * 4) % 100_000).padStart(5, '0'));
  return groups.join(' ');
}
