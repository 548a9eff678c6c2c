import { startLiveHaven } from '../../test/support/live-haven';
import { admitAndTimeJoin, timeReadmissions, type JoinSample } from '../../test/support/room-page';
import { openOneToOneCall } from './one-to-one-call';

/**
 * Join-to-first-frame the way the live-session e2e test measures it (same helpers): a throw-away
 * Haven on loopback with one media worker, two headless Chromiums with fake cameras, the therapist
 * starts a session from the dashboard and admits the client; then moves them back and admits again.
 */
export async function measureJoinToFirstFrame(runs: number): Promise<JoinSample[]> {
  const live = await startLiveHaven();
  try {
    const call = await openOneToOneCall(live, { viewport: { width: 390, height: 844 } });
    try {
      const first = await admitAndTimeJoin(call.therapist, call.client, call.clientName);
      return [first, ...(await timeReadmissions(call.therapist, call.client, call.clientName, runs - 1))];
    } finally {
      await call.closeBrowsers();
    }
  } finally {
    await live.stop().catch(() => {});
  }
}
