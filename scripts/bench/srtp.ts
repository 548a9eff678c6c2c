import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * SRTP (RFC 3711) for the media benchmark's load generator, so the worker decrypts what the
 * "browsers" send and encrypts what it forwards, as in a real call. Two suites: AEAD_AES_256_GCM
 * (RFC 7714; what mediasoup offers first and Chromium picks when it enables GCM) and
 * AES_CM_128_HMAC_SHA1_80 (every WebRTC stack's baseline). RTP both ways; RTCP only outgoing (the
 * sender reports a browser sends): what the worker sends back is read from its clear header only
 * (see rtp-sender.ts).
 */
export type SrtpSuite = 'AEAD_AES_256_GCM' | 'AES_CM_128_HMAC_SHA1_80';

/** What mediasoup's PlainTransport takes and gives (`srtpParameters`). */
export interface SrtpKeying {
  readonly cryptoSuite: SrtpSuite;
  /** Master key followed by master salt, base64. */
  readonly keyBase64: string;
}

const SUITES: Record<
  SrtpSuite,
  { keyBytes: number; saltBytes: number; authKeyBytes: number; tagBytes: number }
> = {
  AEAD_AES_256_GCM: { keyBytes: 32, saltBytes: 12, authKeyBytes: 0, tagBytes: 16 },
  AES_CM_128_HMAC_SHA1_80: { keyBytes: 16, saltBytes: 14, authKeyBytes: 20, tagBytes: 10 },
};

/** Fresh random keying for one direction. */
export function newKeying(cryptoSuite: SrtpSuite): SrtpKeying {
  const { keyBytes, saltBytes } = SUITES[cryptoSuite];
  return { cryptoSuite, keyBase64: randomBytes(keyBytes + saltBytes).toString('base64') };
}

/**
 * The AES-CM key derivation of RFC 3711 §4.3 (key derivation rate 0), also used by RFC 7714 for
 * GCM: AES in counter mode under the master key, from (master salt, zero-padded to 14 bytes)
 * XOR (label at byte 7), block counter in the last two bytes.
 */
export function deriveSessionKey(
  masterKey: Buffer,
  masterSalt: Buffer,
  label: number,
  length: number,
): Buffer {
  const iv = Buffer.alloc(16);
  masterSalt.copy(iv, 0, 0, Math.min(14, masterSalt.length));
  iv[7]! ^= label;
  const cipher = createCipheriv(masterKey.length === 32 ? 'aes-256-ctr' : 'aes-128-ctr', masterKey, iv);
  return Buffer.concat([cipher.update(Buffer.alloc(length)), cipher.final()]);
}

const RTP_LABELS = { cipherKey: 0, authKey: 1, salt: 2 } as const;
const RTCP_LABELS = { cipherKey: 3, authKey: 4, salt: 5 } as const;

interface SessionKeys {
  readonly cipherKey: Buffer;
  readonly authKey: Buffer;
  readonly salt: Buffer;
}

function sessionKeys(
  masterKey: Buffer,
  masterSalt: Buffer,
  suite: (typeof SUITES)[SrtpSuite],
  labels: typeof RTP_LABELS | typeof RTCP_LABELS,
): SessionKeys {
  return {
    cipherKey: deriveSessionKey(masterKey, masterSalt, labels.cipherKey, suite.keyBytes),
    authKey: suite.authKeyBytes
      ? deriveSessionKey(masterKey, masterSalt, labels.authKey, suite.authKeyBytes)
      : Buffer.alloc(0),
    salt: deriveSessionKey(masterKey, masterSalt, labels.salt, suite.saltBytes),
  };
}

/** The session keys and salts (RTP and RTCP) of one keying: what a native SRTP context needs. */
export function derivedSessionKeys(keying: SrtpKeying): {
  rtp: { cipherKey: Buffer; salt: Buffer };
  rtcp: { cipherKey: Buffer; salt: Buffer };
} {
  const suite = SUITES[keying.cryptoSuite];
  const material = Buffer.from(keying.keyBase64, 'base64');
  const masterKey = material.subarray(0, suite.keyBytes);
  const masterSalt = material.subarray(suite.keyBytes);
  return {
    rtp: sessionKeys(masterKey, masterSalt, suite, RTP_LABELS),
    rtcp: sessionKeys(masterKey, masterSalt, suite, RTCP_LABELS),
  };
}

/** Where an RTP packet's payload starts: after the fixed header, CSRCs and any header extension. */
function payloadOffset(packet: Buffer): number {
  let offset = 12 + (packet[0]! & 0x0f) * 4;
  if (packet[0]! & 0x10) offset += 4 + packet.readUInt16BE(offset + 2) * 4;
  return offset;
}

interface StreamState {
  roc: number;
  /** Highest sequence number seen (receiver) or sent (sender); -1 before the first packet. */
  highestSeq: number;
}

/**
 * One SRTP context (one direction of one transport): protects or unprotects its streams' RTP, and
 * protects RTCP (the sender reports a browser sends).
 */
export class SrtpContext {
  readonly #suite: (typeof SUITES)[SrtpSuite];
  readonly #cipherKey: Buffer;
  readonly #authKey: Buffer;
  readonly #salt: Buffer;
  readonly #rtcp: SessionKeys;
  readonly #streams = new Map<number, StreamState>();
  /** SRTCP index per sender SSRC (31 bits). */
  readonly #rtcpIndex = new Map<number, number>();

  constructor(keying: SrtpKeying) {
    this.#suite = SUITES[keying.cryptoSuite];
    const material = Buffer.from(keying.keyBase64, 'base64');
    const { keyBytes, saltBytes } = this.#suite;
    if (material.length !== keyBytes + saltBytes) {
      throw new Error(
        `${keying.cryptoSuite} needs ${keyBytes + saltBytes} bytes of keying, got ${material.length}`,
      );
    }
    const masterKey = material.subarray(0, keyBytes);
    const masterSalt = material.subarray(keyBytes);
    const rtp = sessionKeys(masterKey, masterSalt, this.#suite, RTP_LABELS);
    this.#cipherKey = rtp.cipherKey;
    this.#authKey = rtp.authKey;
    this.#salt = rtp.salt;
    this.#rtcp = sessionKeys(masterKey, masterSalt, this.#suite, RTCP_LABELS);
  }

  /**
   * An RTCP packet as SRTCP (RFC 3711 §3.4; RFC 7714 §9 for GCM): the first 8 bytes in the clear,
   * the rest encrypted, then the E flag with the 31-bit SRTCP index, and the tag.
   */
  protectRtcp(packet: Buffer): Buffer {
    const ssrc = packet.readUInt32BE(4);
    const index = (this.#rtcpIndex.get(ssrc) ?? 0) & 0x7fffffff;
    this.#rtcpIndex.set(ssrc, index + 1);
    const eIndex = Buffer.alloc(4);
    eIndex.writeUInt32BE((0x80000000 | index) >>> 0);
    const header = packet.subarray(0, 8);
    const body = packet.subarray(8);
    const keys = this.#rtcp;
    if (this.#suite.authKeyBytes === 0) {
      const iv = Buffer.alloc(12);
      iv.writeUInt32BE(ssrc >>> 0, 2);
      iv.writeUInt32BE(index, 8);
      for (let i = 0; i < 12; i += 1) iv[i]! ^= keys.salt[i]!;
      const cipher = createCipheriv('aes-256-gcm', keys.cipherKey, iv);
      cipher.setAAD(Buffer.concat([header, eIndex]));
      const sealed = Buffer.concat([cipher.update(body), cipher.final()]);
      return Buffer.concat([header, sealed, cipher.getAuthTag(), eIndex]);
    }
    const iv = Buffer.alloc(16);
    keys.salt.copy(iv, 0);
    iv[4]! ^= (ssrc >>> 24) & 0xff;
    iv[5]! ^= (ssrc >>> 16) & 0xff;
    iv[6]! ^= (ssrc >>> 8) & 0xff;
    iv[7]! ^= ssrc & 0xff;
    iv[10]! ^= (index >>> 24) & 0xff;
    iv[11]! ^= (index >>> 16) & 0xff;
    iv[12]! ^= (index >>> 8) & 0xff;
    iv[13]! ^= index & 0xff;
    const cipher = createCipheriv('aes-128-ctr', keys.cipherKey, iv);
    const authenticated = Buffer.concat([header, cipher.update(body), cipher.final(), eIndex]);
    const tag = createHmac('sha1', keys.authKey)
      .update(authenticated)
      .digest()
      .subarray(0, this.#suite.tagBytes);
    return Buffer.concat([authenticated, tag]);
  }

  /** SRTP bytes added to each packet (the authentication tag). */
  get overhead(): number {
    return this.#suite.tagBytes;
  }

  /** The RTP packet encrypted and authenticated (a new buffer, `overhead` bytes longer). */
  protect(packet: Buffer): Buffer {
    const ssrc = packet.readUInt32BE(8);
    const seq = packet.readUInt16BE(2);
    const stream = this.#streams.get(ssrc) ?? { roc: 0, highestSeq: -1 };
    this.#streams.set(ssrc, stream);
    // The sender counts its own wraps of the 16-bit sequence number.
    if (stream.highestSeq >= 0 && seq < stream.highestSeq && stream.highestSeq - seq > 0x8000)
      stream.roc += 1;
    stream.highestSeq = seq;
    const offset = payloadOffset(packet);
    const header = packet.subarray(0, offset);
    const payload = packet.subarray(offset);
    if (this.#suite.authKeyBytes === 0) {
      const cipher = createCipheriv('aes-256-gcm', this.#cipherKey, this.#gcmIv(ssrc, stream.roc, seq));
      cipher.setAAD(header);
      const sealed = Buffer.concat([header, cipher.update(payload), cipher.final()]);
      return Buffer.concat([sealed, cipher.getAuthTag()]);
    }
    const cipher = createCipheriv('aes-128-ctr', this.#cipherKey, this.#ctrIv(ssrc, stream.roc, seq));
    const sealed = Buffer.concat([header, cipher.update(payload), cipher.final()]);
    return Buffer.concat([sealed, this.#hmacTag(sealed, stream.roc)]);
  }

  /** The RTP packet inside an SRTP packet, or null when it does not authenticate. */
  unprotect(packet: Buffer): Buffer | null {
    const tagBytes = this.#suite.tagBytes;
    if (packet.length < 12 + tagBytes) return null;
    const ssrc = packet.readUInt32BE(8);
    const seq = packet.readUInt16BE(2);
    const stream = this.#streams.get(ssrc);
    // RFC 3711 §3.3.1: guess the rollover counter from the highest sequence number seen so far.
    let roc = stream?.roc ?? 0;
    if (stream && stream.highestSeq >= 0) {
      if (stream.highestSeq < 0x8000 && seq - stream.highestSeq > 0x8000) roc -= 1;
      else if (stream.highestSeq >= 0x8000 && stream.highestSeq - seq > 0x8000) roc += 1;
    }
    const body = packet.subarray(0, packet.length - tagBytes);
    const tag = packet.subarray(packet.length - tagBytes);
    const offset = payloadOffset(body);
    const header = body.subarray(0, offset);
    let plain: Buffer;
    try {
      if (this.#suite.authKeyBytes === 0) {
        const decipher = createDecipheriv('aes-256-gcm', this.#cipherKey, this.#gcmIv(ssrc, roc, seq));
        decipher.setAAD(header);
        decipher.setAuthTag(tag);
        plain = Buffer.concat([header, decipher.update(body.subarray(offset)), decipher.final()]);
      } else {
        if (!timingSafeEqual(tag, this.#hmacTag(body, roc))) return null;
        const decipher = createDecipheriv('aes-128-ctr', this.#cipherKey, this.#ctrIv(ssrc, roc, seq));
        plain = Buffer.concat([header, decipher.update(body.subarray(offset)), decipher.final()]);
      }
    } catch {
      return null;
    }
    const index = roc * 0x10000 + seq;
    const known = stream ? stream.roc * 0x10000 + stream.highestSeq : -1;
    if (index > known) this.#streams.set(ssrc, { roc, highestSeq: seq });
    return plain;
  }

  /** RFC 7714 §8.1: (00 00 || SSRC || ROC || SEQ) XOR session salt. */
  #gcmIv(ssrc: number, roc: number, seq: number): Buffer {
    const iv = Buffer.alloc(12);
    iv.writeUInt32BE(ssrc >>> 0, 2);
    iv.writeUInt32BE(roc >>> 0, 6);
    iv.writeUInt16BE(seq, 10);
    for (let i = 0; i < 12; i += 1) iv[i]! ^= this.#salt[i]!;
    return iv;
  }

  /** RFC 3711 §4.1.1: (salt · 2^16) XOR (SSRC · 2^64) XOR (index · 2^16). */
  #ctrIv(ssrc: number, roc: number, seq: number): Buffer {
    const iv = Buffer.alloc(16);
    this.#salt.copy(iv, 0);
    iv[4]! ^= (ssrc >>> 24) & 0xff;
    iv[5]! ^= (ssrc >>> 16) & 0xff;
    iv[6]! ^= (ssrc >>> 8) & 0xff;
    iv[7]! ^= ssrc & 0xff;
    // The 48-bit index ROC || SEQ sits in bytes 8–13.
    iv[8]! ^= (roc >>> 24) & 0xff;
    iv[9]! ^= (roc >>> 16) & 0xff;
    iv[10]! ^= (roc >>> 8) & 0xff;
    iv[11]! ^= roc & 0xff;
    iv[12]! ^= (seq >>> 8) & 0xff;
    iv[13]! ^= seq & 0xff;
    return iv;
  }

  /** HMAC-SHA1 over the packet and the ROC, truncated to 80 bits. */
  #hmacTag(authenticated: Buffer, roc: number): Buffer {
    const rocBytes = Buffer.alloc(4);
    rocBytes.writeUInt32BE(roc >>> 0);
    return createHmac('sha1', this.#authKey)
      .update(authenticated)
      .update(rocBytes)
      .digest()
      .subarray(0, this.#suite.tagBytes);
  }
}
