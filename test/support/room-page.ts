import type { Page } from 'playwright-core';

/** What a room page reports about its media (`window.havenRoom.stats()` in public/src/room.ts). */
export interface RoomPageStats {
  videoFramesDecoded: number;
  audioPacketsReceived: number;
  videoFramesSent: number;
  audioPacketsSent: number;
  videoTracksDecoding: number;
  audioTracksReceiving: number;
  /** Date.now() when the first remote video frame of this admission was decoded; null while waiting. */
  firstRemoteFrameAt: number | null;
  /** When each step of the latest entry happened (public/src/room/join-timeline.ts). */
  joinTimeline: Record<string, number>;
  packetsReceived: number;
  inboundVideoTracks: number;
  /** The receive transport's connection state (while waiting: the one made ahead of admission). */
  receiveTransport: string | null;
  /** Waiting, and done preparing media ahead of admission (made, or found not possible). */
  waitingSettled: boolean;
  remoteVideoTiles: number;
  audioOnly: boolean;
  /** Media rebuilt in place (media:lost, or ICE did not come back). */
  rebuilds: number;
  /** The connection banner is up ("Reconnecting…"). */
  reconnecting: boolean;
  /** The socket path in use (several nodes: `/node/<id>/socket.io`, or `/socket.io` for any node). */
  signalPath: string;
}

export const roomStats = (page: Page): Promise<RoomPageStats> =>
  page.evaluate(() =>
    (globalThis as unknown as { havenRoom: { stats(): Promise<RoomPageStats> } }).havenRoom.stats(),
  );

/** What the room page says about encryption (`window.havenRoom.stats().e2ee`). */
export interface E2eeStats {
  state: 'on' | 'off' | 'refused' | null;
  safetyCode: string | null;
  frames: { encrypted: number; decrypted: number; undecryptable: number } | null;
}

export const e2eeOf = async (page: Page): Promise<E2eeStats> =>
  ((await roomStats(page)) as unknown as { e2ee: E2eeStats }).e2ee;

/** Polls the page's stats until `test` passes; the error says what the page showed instead. */
export async function untilRoomStats(
  page: Page,
  what: string,
  test: (s: RoomPageStats) => boolean,
  ms = 30_000,
): Promise<RoomPageStats> {
  const deadline = Date.now() + ms;
  let last: RoomPageStats | null = null;
  while (Date.now() < deadline) {
    last = await roomStats(page);
    if (test(last)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  const said = await page.locator('#room-status').textContent();
  throw new Error(
    `${what} did not happen within ${ms} ms; page said "${said}"; last stats ${JSON.stringify(last)}`,
  );
}

/** Run in the therapist's page before the click: notes when its next click event arrives. */
const CLICK_PROBE = `document.addEventListener('click', () => { globalThis.__havenClickAt = Date.now(); }, { capture: true, once: true })`;

/** One timed admission: click Admit → the client's first decoded frame, and each step on the way. */
export interface JoinSample {
  readonly ms: number;
  /** Each step of the client's entry, ms after the click (negative: done before it, while waiting). */
  readonly phases: Readonly<Record<string, number>>;
}

/**
 * Join time as a person feels it: the therapist clicks "Admit <name>", and the client's page decodes
 * its first remote video frame. Milliseconds (both clocks are this machine's Date.now()), with the
 * client's steps on the way. The click comes once the client's waiting page has finished preparing
 * (its Device, transports and warm-up: a few tens of ms after it shows), as a therapist's does who
 * sees the knock and then clicks; the time from knock to click is not part of the figure. The clock
 * starts when the test asks Playwright to click; the phase `click-in-page` says when the therapist's
 * page got the click event (Playwright's checks before clicking take part of the figure).
 */
export async function admitAndTimeJoin(
  therapist: Page,
  client: Page,
  clientName: string,
): Promise<JoinSample> {
  const admit = therapist.getByRole('button', { name: `Admit ${clientName}` });
  await admit.waitFor();
  await untilRoomStats(client, 'the waiting page preparing its media', (s) => s.waitingSettled);
  await therapist.evaluate(CLICK_PROBE);
  const clickedAt = Date.now();
  await admit.click();
  const seen = await untilRoomStats(
    client,
    'client decoding the first remote frame',
    (s) => s.firstRemoteFrameAt !== null && s.videoFramesDecoded > 0,
  );
  const at = seen.firstRemoteFrameAt as number;
  if (at < clickedAt)
    throw new Error('the frame counted was shown before the click: the page kept a stale time');
  const clickInPage = Number(await therapist.evaluate('globalThis.__havenClickAt'));
  const steps = { ...seen.joinTimeline, ...(clickInPage ? { 'click-in-page': clickInPage } : {}) };
  const phases = Object.fromEntries(Object.entries(steps).map(([step, time]) => [step, time - clickedAt]));
  return { ms: at - clickedAt, phases };
}

/** The join time alone (see admitAndTimeJoin). */
export async function admitAndTimeFirstFrame(
  therapist: Page,
  client: Page,
  clientName: string,
): Promise<number> {
  return (await admitAndTimeJoin(therapist, client, clientName)).ms;
}

/** Moves the client back to the waiting room and admits again, `count` times; each join timed. */
export async function timeReadmissions(
  therapist: Page,
  client: Page,
  clientName: string,
  count: number,
): Promise<JoinSample[]> {
  const samples: JoinSample[] = [];
  while (samples.length < count) {
    await therapist.getByRole('button', { name: `Move ${clientName} back to the waiting room` }).click();
    await client.locator('#panel-waiting').waitFor({ state: 'visible' });
    samples.push(await admitAndTimeJoin(therapist, client, clientName));
  }
  return samples;
}

/** Each step's median over the samples, in the order the steps happened: "admitted 31, device 70, …". */
export function medianPhases(samples: readonly JoinSample[]): string {
  const steps = new Map<string, number[]>();
  for (const s of samples)
    for (const [step, ms] of Object.entries(s.phases)) steps.set(step, [...(steps.get(step) ?? []), ms]);
  const middle = (xs: number[]): number => {
    const sorted = [...xs].sort((a, b) => a - b);
    return sorted[Math.floor((sorted.length - 1) / 2)] as number;
  };
  return [...steps.entries()]
    .map(([step, xs]) => [step, middle(xs)] as const)
    .sort((a, b) => a[1] - b[1])
    .map(([step, ms]) => `${step} ${ms}`)
    .join(', ');
}

/**
 * The same joins timed from the therapist's page's own click event to the first frame: what a
 * person's click costs, without Playwright's checks before it clicks (the `click-in-page` step).
 * Printed beside the main figure, which keeps those checks in (the conservative reading).
 */
export function fromPageClickLine(samples: readonly JoinSample[]): string {
  const times = samples
    .map((s) => (s.phases['click-in-page'] === undefined ? null : s.ms - s.phases['click-in-page']))
    .filter((ms): ms is number => ms !== null)
    .sort((a, b) => a - b);
  if (times.length === 0) return 'from the page’s click event: not recorded';
  const middle = times[Math.floor((times.length - 1) / 2)] as number;
  return `from the page’s click event (without Playwright’s checks): ${times.join(', ')}; median ${middle}`;
}

/** Which panel a room page shows and what it last announced: what a failed wait reports. */
export async function roomPanelState(page: Page): Promise<string> {
  const said = async (selector: string) =>
    (
      (await page
        .locator(selector)
        .first()
        .textContent({ timeout: 2_000 })
        .catch(() => '')) ?? ''
    ).trim();
  const panels = await page
    .locator('.room-panel:not([hidden])')
    .evaluateAll((shown) => shown.map((p) => p.id))
    .catch(() => [] as string[]);
  return `panel ${panels.join(',') || 'none'}; status "${await said('#room-status')}"; banner "${await said('#connection-banner')}"; ended "${await said('#ended-detail')}"`;
}

/**
 * The therapist starts a one-to-one session from their dashboard ("Start a session with <client>"),
 * as a therapist does, and is in the call: the room's address, for the client's page to open.
 */
export async function startSessionFromDashboard(
  page: Page,
  baseUrl: string,
  clientName: string,
): Promise<string> {
  await page.goto(`${baseUrl}/clinical`);
  await page.getByRole('button', { name: `Start a session with ${clientName}` }).click();
  await page.waitForURL(/\/rooms\/[0-9a-f-]{36}$/);
  await page.locator('#panel-call').waitFor({ state: 'visible' });
  return page.url();
}

/** A client opens the room and waits to be let in (the waiting room's words, in English). */
export async function knockAt(page: Page, roomUrl: string): Promise<void> {
  await page.goto(roomUrl);
  await page.locator('#panel-waiting').getByText('Your therapist will let you in.').waitFor();
}
