import { QueryTypes, type Sequelize } from 'sequelize';
import type { NodeRecord } from './node-record';
import type { NodeRegistry } from './node-registry';

/** Where a room lives, as the room page needs to know it. */
export interface Placement {
  readonly nodeId: string;
  /** True when the room lives on the node asking. */
  readonly here: boolean;
}

/**
 * Room placement (issue 22): a room lives on one node — its router on that node's media workers —
 * and everyone in it signals to, and sends media to, that node. The first entry places it on the
 * least loaded live node with media; one `INSERT … ON CONFLICT DO NOTHING` decides, so entries
 * racing on several nodes place it once and all read the same answer. A room whose node is dead is
 * moved by a compare-and-set on the old node id (again: once, however many ask).
 *
 * Load is the registry's (live rooms, then media CPU, then consumers), plus the rooms placed on a
 * node since its last heartbeat, so a burst of first entries between two heartbeats spreads out.
 */
export class RoomPlacement {
  readonly #sequelize: Sequelize;
  readonly #nodes: NodeRegistry;
  readonly #now: () => number;

  constructor(sequelize: Sequelize, nodes: NodeRegistry, now: () => number = Date.now) {
    this.#sequelize = sequelize;
    this.#nodes = nodes;
    this.#now = now;
  }

  /** The room's node, placing (or moving) it first if needed. */
  async place(roomId: string): Promise<Placement> {
    const live = (await this.#nodes.liveNodes()).filter((node) => node.mediaPorts > 0);
    const current = await this.#ownerOf(roomId);
    if (current !== null && live.some((node) => node.id === current)) return this.#answer(current);
    if (live.length === 0) {
      // No node with media is alive (media off, or all dead): the room stays, or goes, here.
      return this.#answer(current ?? this.#nodes.id);
    }
    const target = (await this.#leastLoaded(live)).id;
    if (current === null) {
      await this.#sequelize.query(
        `INSERT INTO room_placements (room_id, node_id, placed_at) VALUES (:roomId, :target, :now)
         ON CONFLICT (room_id) DO NOTHING`,
        { replacements: { roomId, target, now: this.#now() } },
      );
    } else {
      await this.#sequelize.query(
        `UPDATE room_placements SET node_id = :target, placed_at = :now
         WHERE room_id = :roomId AND node_id = :current`,
        { replacements: { roomId, target, current, now: this.#now() } },
      );
    }
    // Whoever won the race, this is the answer every caller reads.
    return this.#answer((await this.#ownerOf(roomId)) ?? target);
  }

  async #ownerOf(roomId: string): Promise<string | null> {
    const [row] = await this.#sequelize.query<{ node_id: string }>(
      'SELECT node_id FROM room_placements WHERE room_id = :roomId',
      { replacements: { roomId }, type: QueryTypes.SELECT },
    );
    return row?.node_id ?? null;
  }

  async #leastLoaded(live: readonly NodeRecord[]): Promise<NodeRecord> {
    const recent = await this.#sequelize.query<{ node_id: string; placed: number | string }>(
      `SELECT p.node_id, COUNT(*) AS placed FROM room_placements p
       JOIN cluster_nodes n ON n.id = p.node_id AND p.placed_at > n.heartbeat_at
       GROUP BY p.node_id`,
      { type: QueryTypes.SELECT },
    );
    const since = new Map(recent.map((r) => [r.node_id, Number(r.placed)]));
    const rooms = (node: NodeRecord): number => node.liveRooms + (since.get(node.id) ?? 0);
    const sorted = [...live].sort(
      (a, b) =>
        rooms(a) - rooms(b) ||
        a.workerCpu - b.workerCpu ||
        a.consumers - b.consumers ||
        a.id.localeCompare(b.id),
    );
    return sorted[0]!;
  }

  #answer(nodeId: string): Placement {
    return { nodeId, here: nodeId === this.#nodes.id };
  }
}
