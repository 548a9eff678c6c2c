import { QueryTypes, type Sequelize } from 'sequelize';
import type { NodeRecord } from './node-record';
import type { NodeRegistry } from './node-registry';

/** Where a room lives, as the room page needs to know it. */
export interface Placement {
  readonly nodeId: string;
  /** True when the room lives on the node asking. */
  readonly here: boolean;
  /**
   * Set when the room was moved to its node because its earlier node died: that node, and its last
   * heartbeat (when its people were last known to be in the call). Kept until the next move.
   */
  readonly movedFrom: {
    readonly nodeId: string;
    readonly lastSeenAt: Date;
    /** When the room was moved. */
    readonly movedAt: Date;
  } | null;
}

interface PlacementRow {
  node_id: string;
  placed_at: string | number;
  moved_from: string | null;
  moved_from_seen_at: string | number | null;
}

/**
 * Room placement (issue 22): a room lives on one node — its router on that node's media workers —
 * and everyone in it signals to, and sends media to, that node. The first entry places it on the
 * least loaded live node with media; one `INSERT … ON CONFLICT DO NOTHING` decides, so entries
 * racing on several nodes place it once and all read the same answer. A room whose node is dead is
 * moved by a compare-and-set on the old node id (again: once, however many ask), noting the dead
 * node and its last heartbeat, so the new node can carry the admitted people's places over.
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
    const nodes = await this.#nodes.nodes();
    const live = nodes.filter((node) => node.alive && node.mediaPorts > 0);
    const current = await this.#rowOf(roomId);
    if (current !== null && live.some((node) => node.id === current.node_id)) return this.#answer(current);
    if (live.length === 0) {
      // No node with media is alive (media off, or all dead): the room stays, or goes, here.
      return current ? this.#answer(current) : this.#answerFor(this.#nodes.id);
    }
    const target = (await this.#leastLoaded(live)).id;
    if (current === null) {
      await this.#sequelize.query(
        `INSERT INTO room_placements (room_id, node_id, placed_at) VALUES (:roomId, :target, :now)
         ON CONFLICT (room_id) DO NOTHING`,
        { replacements: { roomId, target, now: this.#now() } },
      );
    } else {
      // A node that left cleanly has no row any more: its people were there until now.
      const dead = nodes.find((node) => node.id === current.node_id);
      await this.#sequelize.query(
        `UPDATE room_placements SET node_id = :target, placed_at = :now,
           moved_from = :current, moved_from_seen_at = :seen
         WHERE room_id = :roomId AND node_id = :current`,
        {
          replacements: {
            roomId,
            target,
            current: current.node_id,
            now: this.#now(),
            seen: dead?.heartbeatAt.getTime() ?? this.#now(),
          },
        },
      );
    }
    // Whoever won the race, this is the answer every caller reads.
    const placed = await this.#rowOf(roomId);
    return placed ? this.#answer(placed) : this.#answerFor(target);
  }

  async #rowOf(roomId: string): Promise<PlacementRow | null> {
    const [row] = await this.#sequelize.query<PlacementRow>(
      `SELECT node_id, placed_at, moved_from, moved_from_seen_at FROM room_placements
       WHERE room_id = :roomId`,
      { replacements: { roomId }, type: QueryTypes.SELECT },
    );
    return row ?? null;
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

  #answer(row: PlacementRow): Placement {
    const movedFrom =
      row.moved_from !== null && row.moved_from_seen_at !== null
        ? {
            nodeId: row.moved_from,
            lastSeenAt: new Date(Number(row.moved_from_seen_at)),
            movedAt: new Date(Number(row.placed_at)),
          }
        : null;
    return { ...this.#answerFor(row.node_id), movedFrom };
  }

  #answerFor(nodeId: string): Placement {
    return { nodeId, here: nodeId === this.#nodes.id, movedFrom: null };
  }
}
