import { Device, type types } from 'mediasoup-client';
import type {
  HttpErrorBody,
  ProbeConnectInput,
  ProbeMode,
  ProbeProduceInput,
  ProbeResult,
  ProbeStart,
  RequestErrorCode,
} from '../../../server/protocol';
import { pageReader } from '../page-reader';
import { bundleStrings } from '../strings';

const t = bundleStrings('check');

export type { ProbeMode } from '../../../server/protocol';

/** What one path test found, from both ends: the browser's ICE/DTLS and the server's RTP counter. */
export interface ProbeOutcome {
  readonly mode: ProbeMode;
  readonly ok: boolean;
  /** 'udp' or 'tcp' as the server saw it, when it connected. */
  readonly protocol: string | null;
  /** The browser's own end of the chosen path: 'host', 'srflx', 'prflx' or 'relay'. */
  readonly localCandidateType: string | null;
  readonly ms: number;
  /** Why it failed, in plain words (for the page), or null. */
  readonly problem: string | null;
}

/** A refusal from the check's endpoints (its stable code), or a failure with no JSON answer. */
export class ProbeError extends Error {
  constructor(
    readonly code: RequestErrorCode | `http.${number}`,
    message: string,
  ) {
    super(message);
  }
}

/** JSON to and from Haven with the session's CSRF token. */
async function api<T>(csrf: string, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: {
      Accept: 'application/json',
      'X-CSRF-Token': csrf,
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (res.status === 204) return undefined as T;
  const data = (await res.json().catch(() => ({}))) as T & Partial<HttpErrorBody>;
  if (!res.ok)
    throw new ProbeError(data.error?.code ?? `http.${res.status}`, data.error?.message ?? 'Failed.');
  return data;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The browser's side of the selected candidate pair. */
async function localCandidateType(transport: types.Transport): Promise<string | null> {
  const report = await transport.getStats();
  let pairId: string | undefined;
  report.forEach((s: Record<string, unknown>) => {
    if (s.type === 'transport' && typeof s.selectedCandidatePairId === 'string')
      pairId = s.selectedCandidatePairId;
  });
  const pair = pairId ? (report.get(pairId) as Record<string, unknown> | undefined) : undefined;
  const local = pair
    ? (report.get(String(pair.localCandidateId)) as Record<string, unknown> | undefined)
    : undefined;
  return typeof local?.candidateType === 'string' ? local.candidateType : null;
}

/**
 * One path test: a throw-away transport on the clinic's media server, reached with the browser's
 * own addresses only ('direct': no ICE servers) or only through the TURN relay ('relay'). A quiet
 * tone is sent so that the server can confirm real media arrived, not just a handshake.
 */
export async function runProbe(
  csrf: string,
  mode: ProbeMode,
  audio: AudioContext,
  timeoutMs = 15_000,
): Promise<ProbeOutcome> {
  const began = performance.now();
  const start = await api<ProbeStart>(csrf, 'POST', '/check/probes', { mode });
  const path = `/check/probes/${encodeURIComponent(start.probeId)}`;
  const destination = audio.createMediaStreamDestination();
  const osc = audio.createOscillator();
  const gain = audio.createGain();
  gain.gain.value = 0.001; // inaudible: the tone only gives the encoder something to send
  osc.connect(gain).connect(destination);
  osc.start();
  const track = destination.stream.getAudioTracks()[0] as MediaStreamTrack;
  let transport: types.Transport | null = null;
  const outcome = (ok: boolean, problem: string | null, protocol: string | null, type: string | null) => ({
    mode,
    ok,
    protocol,
    localCandidateType: type,
    ms: Math.round(performance.now() - began),
    problem,
  });
  try {
    const device = await Device.factory();
    await device.load({ routerRtpCapabilities: start.rtpCapabilities });
    const send = device.createSendTransport({
      ...start.transport,
      iceCandidates: [...start.transport.iceCandidates],
      iceServers: start.iceServers.map((s) => ({ ...s, urls: [...s.urls] })),
      iceTransportPolicy: start.iceTransportPolicy,
    });
    transport = send;
    send.on('connect', ({ dtlsParameters }, callback, errback) => {
      const input: ProbeConnectInput = { dtlsParameters };
      api(csrf, 'POST', `${path}/connect`, input).then(() => callback(), errback);
    });
    send.on('produce', ({ rtpParameters }, callback, errback) => {
      const input: ProbeProduceInput = { kind: 'audio', rtpParameters };
      api<{ id: string }>(csrf, 'POST', `${path}/produce`, input).then(({ id }) => callback({ id }), errback);
    });
    await send.produce({ track, stopTracks: false });
    const deadline = performance.now() + timeoutMs;
    // The browser first (ICE + DTLS), then the server's word that RTP arrived.
    while (performance.now() < deadline && send.connectionState !== 'connected') {
      if (send.connectionState === 'failed') break;
      await sleep(200);
    }
    if (send.connectionState !== 'connected') {
      const seconds = Math.round(timeoutMs / 1000);
      return outcome(
        false,
        t('probe.noConnection', {
          count: seconds,
          n: new Intl.NumberFormat(pageReader().locale).format(seconds),
        }),
        null,
        null,
      );
    }
    while (performance.now() < deadline) {
      const seen = await api<ProbeResult>(csrf, 'GET', path);
      if (seen.connected) return outcome(true, null, seen.protocol, await localCandidateType(send));
      await sleep(300);
    }
    return outcome(false, t('probe.noMedia'), null, await localCandidateType(send));
  } finally {
    transport?.close();
    osc.stop();
    track.stop();
    await api(csrf, 'DELETE', path).catch(() => {});
  }
}
