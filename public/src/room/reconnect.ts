/**
 * Keeping a session alive through the usual accidents, without a reload:
 *  - the socket drops: the page says so; socket.io reconnects and the page rejoins (the server kept
 *    the seat, so there is no new knock) and builds its media again;
 *  - a media transport goes `disconnected`/`failed` (network change, a blocked path): ICE restart
 *    with fresh credentials from the server; if the path is still down after a while, rebuild;
 *  - `media:lost` (the media server under the room failed): rebuild transports, producers and
 *    consumers on the replacement, retrying with back-off until it answers.
 * While any of that is in progress the banner says "Reconnecting…" (announced: aria-live).
 */
import { bundleStrings } from '../strings';

const t = bundleStrings('room');

/** How long an ICE restart gets before the media is rebuilt from scratch. */
const ICE_RESTART_GRACE_MS = 8000;
/** Waits between rebuild attempts while the media server is not answering yet. */
const REBUILD_BACKOFF_MS = [500, 1000, 2000, 4000, 5000] as const;
/** How long "Reconnected." stays up. */
const RECOVERED_NOTE_MS = 3000;

type Trouble = 'socket' | 'media' | 'send' | 'recv';

export interface ReconnectDeps {
  /** The visible status line (role=status, aria-live). */
  readonly banner: HTMLElement;
  /** Whether the signalling socket is up now (rebuilds only run over a live socket). */
  socketUp(): boolean;
  restartIce(direction: 'send' | 'recv'): Promise<void>;
  /** Builds the page's media again (transports, producers, consumers); throws if the server refuses. */
  rebuild(): Promise<void>;
}

export class ConnectionWatch {
  readonly #deps: ReconnectDeps;
  readonly #trouble = new Set<Trouble>();
  readonly #iceTimers = new Map<'send' | 'recv', number>();
  #rebuilding: Promise<void> | null = null;
  #noteTimer: number | null = null;
  /** Rebuilds and ICE restarts done (read by automated checks through the page's counters). */
  rebuilds = 0;
  iceRestarts = 0;

  constructor(deps: ReconnectDeps) {
    this.#deps = deps;
  }

  get reconnecting(): boolean {
    return this.#trouble.size > 0;
  }

  socketDown(): void {
    // The server closes this connection's media with it; the rejoin builds everything again.
    this.#clearIce();
    this.#flag('socket');
  }

  /** The page has rejoined after a reconnect (or finished entering): nothing is pending any more. */
  settled(): void {
    const was = this.reconnecting;
    this.#clearIce();
    this.#trouble.clear();
    if (was) this.#recovered();
  }

  transportState(direction: 'send' | 'recv', state: string): void {
    if (state === 'connected') {
      this.#clearIce(direction);
      if (this.#trouble.delete(direction) && !this.reconnecting) this.#recovered();
      return;
    }
    if (state !== 'disconnected' && state !== 'failed') return;
    if (this.#iceTimers.has(direction) || this.#trouble.has('socket') || this.#trouble.has('media')) return;
    this.#flag(direction);
    this.#deps.restartIce(direction).then(
      () => (this.iceRestarts += 1),
      () => {
        // The fallback below rebuilds if the restart cannot be done or does not help.
      },
    );
    this.#iceTimers.set(
      direction,
      window.setTimeout(() => {
        this.#iceTimers.delete(direction);
        if (this.#trouble.has(direction)) this.mediaLost();
      }, ICE_RESTART_GRACE_MS),
    );
  }

  /** The media under the page is gone (server said `media:lost`, or ICE did not come back). */
  mediaLost(): void {
    this.#clearIce();
    this.#flag('media');
    if (this.#rebuilding) return; // one rebuild at a time; it retries until the media is back
    this.#rebuilding = this.#rebuildWithRetry().finally(() => {
      this.#rebuilding = null;
    });
  }

  async #rebuildWithRetry(): Promise<void> {
    for (let attempt = 0; this.#trouble.has('media'); attempt += 1) {
      if (!this.#deps.socketUp()) return; // the socket path rejoins and rebuilds instead
      try {
        await this.#deps.rebuild();
        this.rebuilds += 1;
        this.#trouble.delete('media');
        this.#trouble.delete('send');
        this.#trouble.delete('recv');
        if (!this.reconnecting) this.#recovered();
        return;
      } catch {
        const wait = REBUILD_BACKOFF_MS[Math.min(attempt, REBUILD_BACKOFF_MS.length - 1)] as number;
        await new Promise((resolve) => window.setTimeout(resolve, wait));
      }
    }
  }

  #flag(trouble: Trouble): void {
    this.#trouble.add(trouble);
    if (this.#noteTimer !== null) window.clearTimeout(this.#noteTimer);
    this.#noteTimer = null;
    const { banner } = this.#deps;
    banner.dataset.state = 'reconnecting';
    if (banner.textContent !== t('status.reconnecting')) banner.textContent = t('status.reconnecting');
  }

  #recovered(): void {
    const { banner } = this.#deps;
    banner.dataset.state = 'recovered';
    banner.textContent = t('status.reconnected');
    this.#noteTimer = window.setTimeout(() => {
      this.#noteTimer = null;
      if (this.reconnecting) return;
      banner.textContent = '';
      delete banner.dataset.state;
    }, RECOVERED_NOTE_MS);
  }

  #clearIce(direction?: 'send' | 'recv'): void {
    for (const [d, timer] of [...this.#iceTimers]) {
      if (direction && d !== direction) continue;
      window.clearTimeout(timer);
      this.#iceTimers.delete(d);
    }
  }
}
