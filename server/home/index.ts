import { clientHome } from './client-home';
import type { HomeActor, HomeDeps, HomePage } from './home.types';
import { peerHome } from './peer-home';
import { therapistToday } from './therapist-today';

export type * from './home.types';

/**
 * Role home pages (issue 14): what a signed-in person sees first. A therapist's "today", a peer
 * supporter's groups, a client's care; someone with several roles gets a section for each. Admins
 * land on the admin console instead (the caller decides that).
 */
export class HomeService {
  readonly #d: HomeDeps;

  constructor(deps: HomeDeps) {
    this.#d = deps;
  }

  async for(actor: HomeActor): Promise<HomePage> {
    const has = (role: HomeActor['roles'][number]) => actor.roles.includes(role);
    const [therapist, peer, client] = await Promise.all([
      has('therapist') ? therapistToday(this.#d, actor) : null,
      has('peer_supporter') ? peerHome(this.#d, actor) : null,
      has('client') ? clientHome(this.#d, actor) : null,
    ]);
    return { therapist, peer, client };
  }
}
