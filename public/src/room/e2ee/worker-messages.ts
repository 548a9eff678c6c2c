/** What the room page and its encoded-transform worker (e2ee-worker.ts) say to each other. */

/** Given to `new RTCRtpScriptTransform(worker, options)` for each sender and receiver. */
export interface TransformOptions {
  readonly side: 'send' | 'recv';
  readonly kind: 'audio' | 'video';
  /** Receivers: whose frames these are (their sender key opens them). */
  readonly peerId?: string;
}

/** Page → worker. Secrets are the 32 bytes a frame key is derived from. */
export type WorkerMessage =
  | { readonly type: 'send-key'; readonly keyId: number; readonly secret: ArrayBuffer }
  | {
      readonly type: 'peer-key';
      readonly peerId: string;
      readonly keyId: number;
      readonly secret: ArrayBuffer;
    }
  | { readonly type: 'forget-peer'; readonly peerId: string }
  | { readonly type: 'report' };

/** Worker → page: frame counts since the worker started (for the tests and the indicator). */
export interface WorkerReport {
  readonly type: 'counts';
  encrypted: number;
  decrypted: number;
  /** Received frames no key here opens (dropped). */
  undecryptable: number;
  /** Frames not sent because no sender key was drawn yet (dropped, never sent in the clear). */
  unsent: number;
}
