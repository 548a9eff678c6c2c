import { meetingCard } from './cards';
import type { HomeActor, HomeDeps, PeerHome } from './home.types';

/** A peer supporter's home: the groups they facilitate, each with its next meeting and Join. */
export async function peerHome(d: HomeDeps, me: HomeActor): Promise<PeerHome> {
  const mine = (await d.groups.list()).filter(({ group }) => group.facilitatorIds.includes(me.id));
  return { groups: await Promise.all(mine.map(({ group }) => meetingCard(d, group, me))) };
}
