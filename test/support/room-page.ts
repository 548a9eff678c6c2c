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
  remoteVideoTiles: number;
  audioOnly: boolean;
}

export const roomStats = (page: Page): Promise<RoomPageStats> =>
  page.evaluate(() =>
    (globalThis as unknown as { havenRoom: { stats(): Promise<RoomPageStats> } }).havenRoom.stats(),
  );

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

/**
 * Join time as a person feels it: the therapist clicks "Admit <name>", and the client's page decodes
 * its first remote video frame. Returns milliseconds (both clocks are this machine's Date.now()).
 */
export async function admitAndTimeFirstFrame(
  therapist: Page,
  client: Page,
  clientName: string,
): Promise<number> {
  const admit = therapist.getByRole('button', { name: `Admit ${clientName}` });
  await admit.waitFor();
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
  return at - clickedAt;
}

/** Moves the client back to the waiting room and admits again, `count` times; each join time, ms. */
export async function timeReadmissions(
  therapist: Page,
  client: Page,
  clientName: string,
  count: number,
): Promise<number[]> {
  const samples: number[] = [];
  while (samples.length < count) {
    await therapist.getByRole('button', { name: `Move ${clientName} back to the waiting room` }).click();
    await client.locator('#panel-waiting').waitFor({ state: 'visible' });
    samples.push(await admitAndTimeFirstFrame(therapist, client, clientName));
  }
  return samples;
}
