/**
 * The video stage: one tile per person (plus one per screen share), a layout class chosen by the
 * count (1:1, 3–4, up to 16), and the active speaker highlighted. Audio plays through hidden
 * <audio> elements so a speaker can be chosen and video tiles can stay muted for autoplay.
 */
import { bundleStrings } from '../strings';

const t = bundleStrings('room');

export type Layout = 'layout-1' | 'layout-2' | 'layout-4' | 'layout-16';

interface Tile {
  readonly el: HTMLElement;
  readonly video: HTMLVideoElement;
  readonly caption: HTMLElement;
  readonly stream: MediaStream;
}

export class Stage {
  readonly #root: HTMLElement;
  readonly #sinks: HTMLElement;
  readonly #tiles = new Map<string, Tile>();
  readonly #audio = new Map<string, HTMLAudioElement>();
  #speakerId = '';
  #pinned: string | null = null;
  /** Time (ms since epoch) the first remote video frame was shown: the "join to first frame" measure. */
  firstRemoteFrameAt: number | null = null;
  /** When the last packet of that frame arrived (the browser's own note, rVFC metadata), ms since epoch. */
  firstRemoteFrameReceivedAt: number | null = null;

  /** Who waits for the first remote frame (see `firstFrameOrAfter`). */
  #frameWaiters: (() => void)[] = [];

  /** A new entry: the next remote frame is the first again. */
  forgetFirstFrame(): void {
    this.firstRemoteFrameAt = null;
    this.firstRemoteFrameReceivedAt = null;
  }

  /** Resolves when the first remote video frame of this entry is shown, or after `ms`. */
  firstFrameOrAfter(ms: number): Promise<void> {
    if (this.firstRemoteFrameAt !== null) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.#frameWaiters = this.#frameWaiters.filter((w) => w !== done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#frameWaiters.push(done);
    });
  }

  constructor(root: HTMLElement, sinks: HTMLElement) {
    this.#root = root;
    this.#sinks = sinks;
  }

  /** The tile for a person or their screen (`key` = peerId or peerId + ':screen'). */
  tile(key: string, label: string, self: boolean): Tile {
    let tile = this.#tiles.get(key);
    if (!tile) {
      const el = document.createElement('figure');
      el.className = self ? 'tile self' : 'tile';
      if (key === this.#pinned) el.classList.add('pinned');
      el.dataset.key = key;
      const video = document.createElement('video');
      video.autoplay = true;
      video.playsInline = true;
      video.muted = true;
      video.setAttribute('aria-hidden', 'true');
      const caption = document.createElement('figcaption');
      // What CSS appends to a muted tile's name (room.css), in the page's language.
      caption.dataset.mutedLabel = t('mutedTag');
      el.append(video, caption);
      const stream = new MediaStream();
      video.srcObject = stream;
      tile = { el, video, caption, stream };
      this.#tiles.set(key, tile);
      this.#root.append(el);
      if (key === this.#pinned) this.#root.classList.add('has-pinned');
      if (!self) this.#watchFirstFrame(video);
      this.#relayout();
    }
    tile.caption.textContent = label;
    tile.el.setAttribute('aria-label', label);
    return tile;
  }

  setVideo(key: string, label: string, track: MediaStreamTrack | null, self = false): void {
    const tile = this.tile(key, label, self);
    for (const old of tile.stream.getVideoTracks()) tile.stream.removeTrack(old);
    if (track) tile.stream.addTrack(track);
    tile.el.classList.toggle('no-video', !track);
    // Some browsers need a nudge after the stream's tracks change.
    void tile.video.play().catch(() => {});
  }

  setAudio(consumerId: string, track: MediaStreamTrack, sinkId: string): void {
    const audio = document.createElement('audio');
    audio.autoplay = true;
    audio.srcObject = new MediaStream([track]);
    this.#audio.set(consumerId, audio);
    this.#sinks.append(audio);
    if (sinkId) void this.#setSink(audio, sinkId);
  }

  removeAudio(consumerId: string): boolean {
    const audio = this.#audio.get(consumerId);
    if (!audio) return false;
    audio.srcObject = null;
    audio.remove();
    this.#audio.delete(consumerId);
    return true;
  }

  async setSpeaker(sinkId: string): Promise<void> {
    await Promise.all([...this.#audio.values()].map((a) => this.#setSink(a, sinkId)));
  }

  async #setSink(audio: HTMLAudioElement, sinkId: string): Promise<void> {
    const withSink = audio as HTMLAudioElement & { setSinkId?: (id: string) => Promise<void> };
    if (withSink.setSinkId) await withSink.setSinkId(sinkId).catch(() => {});
  }

  setMuted(key: string, muted: boolean): void {
    this.#tiles.get(key)?.el.classList.toggle('muted', muted);
  }

  remove(key: string): void {
    const tile = this.#tiles.get(key);
    if (!tile) return;
    tile.video.srcObject = null;
    tile.el.remove();
    this.#tiles.delete(key);
    if (key === this.#pinned) this.#root.classList.remove('has-pinned');
    this.#relayout();
  }

  keys(): string[] {
    return [...this.#tiles.keys()];
  }

  /** One tile (e.g. the interpreter's) shown first and largest; null unpins. */
  pin(key: string | null): void {
    this.#pinned = key;
    for (const [k, tile] of this.#tiles) tile.el.classList.toggle('pinned', k === key);
    this.#root.classList.toggle('has-pinned', key !== null && this.#tiles.has(key));
  }

  setActiveSpeaker(peerId: string | null): void {
    this.#speakerId = peerId ?? '';
    for (const [key, tile] of this.#tiles) tile.el.classList.toggle('speaking', key === this.#speakerId);
  }

  get layout(): Layout {
    const n = this.#tiles.size;
    if (n <= 1) return 'layout-1';
    if (n === 2) return 'layout-2';
    if (n <= 4) return 'layout-4';
    return 'layout-16';
  }

  /** The simulcast layer that fits a tile of this layout. */
  get preferredLayer(): number {
    return { 'layout-1': 2, 'layout-2': 2, 'layout-4': 1, 'layout-16': 0 }[this.layout];
  }

  remoteVideoCount(): number {
    let n = 0;
    for (const tile of this.#tiles.values())
      if (!tile.el.classList.contains('self')) n += tile.stream.getVideoTracks().length;
    return n;
  }

  clear(): void {
    for (const key of [...this.#tiles.keys()]) this.remove(key);
    for (const id of [...this.#audio.keys()]) this.removeAudio(id);
  }

  #relayout(): void {
    this.#root.classList.remove('layout-1', 'layout-2', 'layout-4', 'layout-16');
    this.#root.classList.add(this.layout);
  }

  #watchFirstFrame(video: HTMLVideoElement): void {
    const withCallback = video as HTMLVideoElement & {
      requestVideoFrameCallback?: (cb: (now: number, meta: { receiveTime?: number }) => void) => number;
    };
    const mark = (receivedAt: number | null): void => {
      if (this.firstRemoteFrameAt !== null) return;
      this.firstRemoteFrameReceivedAt = receivedAt;
      this.firstRemoteFrameAt = Date.now();
      for (const waiter of [...this.#frameWaiters]) waiter();
    };
    // The metadata's receiveTime (when the frame's last packet arrived) splits the wait for the
    // frame from its decoding and display.
    if (withCallback.requestVideoFrameCallback)
      withCallback.requestVideoFrameCallback((_now, meta) =>
        mark(meta.receiveTime ? Math.round(performance.timeOrigin + meta.receiveTime) : null),
      );
    else video.addEventListener('loadeddata', () => mark(null), { once: true });
  }
}
