import { AppError, phrase } from '../shared/errors';
import type { Clock } from '../shared/clock';
import { newId } from '../shared/ids';
import type { DtlsParameters, RtpParameters } from '../protocol';
import type {
  ConnectivityLimits,
  IceServerView,
  ProbeMode,
  ProbePort,
  ProbeResult,
  ProbeStart,
} from './connectivity.types';

export const DEFAULT_LIMITS: ConnectivityLimits = {
  probeTtlMs: 30_000,
  probesPerWindow: 12,
  windowMs: 10 * 60_000,
  concurrentProbes: 2,
};

interface OpenProbe {
  readonly ownerId: string;
  readonly mode: ProbeMode;
  readonly expiresAt: Date;
  readonly timer: NodeJS.Timeout;
}

export interface ConnectivityDeps {
  /** null when the media workers are off or could not start. */
  readonly probes: ProbePort | null;
  /** The caller's own TURN servers with a fresh short-lived credential (empty without TURN_HOST). */
  readonly iceServersFor: (userId: string) => readonly IceServerView[];
  readonly clock: Clock;
  /** How live sessions connect (MEDIA_ICE_TRANSPORT_POLICY), so the page can say what matters. */
  readonly sessionPolicy?: 'all' | 'relay';
  readonly limits?: Partial<ConnectivityLimits>;
}

const notFound = (): AppError =>
  new AppError('check.probe_not_found', 'not_found', phrase('check:problem.probeEnded'));

/**
 * The pre-call network test. A signed-in person opens a probe (a throw-away transport on the same
 * media workers as sessions), their browser tries to reach it directly or only through the TURN
 * relay, and the server says what it saw. Probes belong to whoever opened them (anyone else gets
 * "not found"), are few per person (rate and concurrency limits keep the workers safe), and close
 * themselves after a short lifetime whether or not the page says goodbye.
 */
export class ConnectivityService {
  readonly #port: ProbePort | null;
  readonly #iceServersFor: ConnectivityDeps['iceServersFor'];
  readonly #clock: Clock;
  readonly #limits: ConnectivityLimits;
  readonly sessionPolicy: 'all' | 'relay';
  readonly #open = new Map<string, OpenProbe>();
  /** Start times of recent probes per person, for the rate limit. */
  readonly #recent = new Map<string, number[]>();

  constructor(deps: ConnectivityDeps) {
    this.#port = deps.probes;
    this.#iceServersFor = deps.iceServersFor;
    this.#clock = deps.clock;
    this.#limits = { ...DEFAULT_LIMITS, ...deps.limits };
    this.sessionPolicy = deps.sessionPolicy ?? 'all';
  }

  /** Whether a relay test is possible at all (the page says so up front). */
  relayConfigured(userId: string): boolean {
    return this.#iceServersFor(userId).length > 0;
  }

  get openCount(): number {
    return this.#open.size;
  }

  async start(userId: string, mode: ProbeMode): Promise<ProbeStart> {
    const port = this.#port;
    if (!port) {
      throw new AppError('media.unavailable', 'unavailable', phrase('errors:room.mediaUnavailable'));
    }
    this.#sweep();
    const iceServers = mode === 'relay' ? this.#iceServersFor(userId) : [];
    if (mode === 'relay' && iceServers.length === 0) {
      throw new AppError('check.no_relay', 'conflict', phrase('check:problem.noRelay'));
    }
    this.#admit(userId);
    const probeId = newId();
    // Held (and timed) before the media work starts, so parallel requests count against the limit.
    const expiresAt = new Date(this.#clock.now().getTime() + this.#limits.probeTtlMs);
    const timer = setTimeout(() => this.#close(probeId), this.#limits.probeTtlMs);
    timer.unref();
    this.#open.set(probeId, { ownerId: userId, mode, expiresAt, timer });
    let offer: Awaited<ReturnType<ProbePort['open']>>;
    try {
      offer = await port.open(probeId);
    } catch (error) {
      this.#close(probeId);
      throw error;
    }
    if (!this.#open.has(probeId)) {
      // Shut down or timed out while the transport was being made.
      port.close(probeId);
      throw notFound();
    }
    return {
      probeId,
      mode,
      rtpCapabilities: offer.rtpCapabilities,
      transport: offer.transport,
      iceServers,
      // 'all' without any ICE server offers only the browser's own (host) addresses: a direct path.
      iceTransportPolicy: mode === 'relay' ? 'relay' : 'all',
      expiresAt: expiresAt.toISOString(),
    };
  }

  async connect(userId: string, probeId: string, dtlsParameters: DtlsParameters): Promise<void> {
    this.#own(userId, probeId);
    await (this.#port as ProbePort).connect(probeId, dtlsParameters);
  }

  async produce(userId: string, probeId: string, rtpParameters: RtpParameters): Promise<{ id: string }> {
    this.#own(userId, probeId);
    return { id: await (this.#port as ProbePort).produce(probeId, rtpParameters) };
  }

  async result(userId: string, probeId: string): Promise<ProbeResult> {
    const probe = this.#own(userId, probeId);
    const seen = await (this.#port as ProbePort).observe(probeId);
    return {
      probeId,
      mode: probe.mode,
      ...seen,
      connected:
        (seen.iceState === 'connected' || seen.iceState === 'completed') &&
        seen.dtlsState === 'connected' &&
        seen.rtpBytesReceived > 0,
    };
  }

  /** The page is done with it; idempotent for its owner. */
  finish(userId: string, probeId: string): void {
    this.#own(userId, probeId);
    this.#close(probeId);
  }

  /** Idempotent: closes every probe (shutdown). */
  close(): void {
    for (const id of [...this.#open.keys()]) this.#close(id);
    this.#port?.closeAll();
  }

  /** Rate and concurrency limits, counted per person. */
  #admit(userId: string): void {
    const now = this.#clock.now().getTime();
    const recent = (this.#recent.get(userId) ?? []).filter((t) => now - t < this.#limits.windowMs);
    const holding = [...this.#open.values()].filter((p) => p.ownerId === userId).length;
    if (recent.length >= this.#limits.probesPerWindow || holding >= this.#limits.concurrentProbes) {
      this.#recent.set(userId, recent);
      throw new AppError('check.too_many', 'too_many_requests', phrase('check:problem.tooMany'));
    }
    recent.push(now);
    this.#recent.set(userId, recent);
  }

  /** The caller's live probe; someone else's, an unknown or an expired one is "not found". */
  #own(userId: string, probeId: string): OpenProbe {
    this.#sweep();
    const probe = this.#open.get(probeId);
    if (!probe || probe.ownerId !== userId || !this.#port) throw notFound();
    return probe;
  }

  /** Closes probes past their lifetime by the clock (the timer does it too, in real time). */
  #sweep(): void {
    const now = this.#clock.now().getTime();
    for (const [id, probe] of this.#open) if (probe.expiresAt.getTime() <= now) this.#close(id);
    for (const [userId, times] of this.#recent) {
      if (times.every((t) => now - t >= this.#limits.windowMs)) this.#recent.delete(userId);
    }
  }

  #close(probeId: string): void {
    const probe = this.#open.get(probeId);
    if (probe) clearTimeout(probe.timer);
    this.#open.delete(probeId);
    this.#port?.close(probeId);
  }
}
