import { AppError } from '../shared/errors';
import { isAdmin, type AdminActor } from './admin.policy';

/** One node as the console shows it (the cluster's NodeRecord, read through a port). */
export interface ConsoleNode {
  readonly id: string;
  readonly publicUrl: string;
  readonly host: string;
  readonly mediaAddress: string | null;
  readonly mediaFirstPort: number | null;
  readonly mediaPorts: number;
  readonly startedAt: Date;
  readonly heartbeatAt: Date;
  readonly alive: boolean;
  readonly liveRooms: number;
  readonly consumers: number;
  readonly workerCpu: number;
  /** Counts of connected people at its last heartbeat, in total and by role. */
  readonly presence: { readonly people: number; readonly roles: Readonly<Record<string, number>> };
}

/** How the Nodes page asks about the cluster (wired in the composition root). */
export interface NodesPorts {
  /** Every registered node, alive or dead. */
  readonly nodes: () => Promise<ConsoleNode[]>;
  /** The node serving this request. */
  readonly thisNode: string;
  readonly heartbeatSeconds: number;
  readonly deadAfterSeconds: number;
  /** Wall-clock milliseconds (heartbeats are wall-clock times, whatever clock the features use). */
  readonly now?: () => number;
}

/** A node with how long ago it was last heard. */
export interface ConsoleNodeView extends ConsoleNode {
  readonly secondsSinceHeartbeat: number;
}

export interface NodesView {
  readonly thisNode: string;
  readonly heartbeatSeconds: number;
  readonly deadAfterSeconds: number;
  /** Live nodes first (by id), then dead ones: what needs attention stands out below. */
  readonly nodes: readonly ConsoleNodeView[];
  readonly liveCount: number;
  /** Connected people over the live nodes (someone with pages on two nodes counts on each). */
  readonly peopleOnline: number;
}

/**
 * The admin console's Nodes page (issue 22): each Haven node sharing the database, whether it is
 * alive, its load and how many people are connected to it, by role. Counts only: the page never
 * says who is online, so it shows no client's name and nothing about anyone's care.
 */
export class NodesViewService {
  readonly #ports: NodesPorts;

  constructor(ports: NodesPorts) {
    this.#ports = ports;
  }

  async get(actor: AdminActor): Promise<NodesView> {
    if (!isAdmin(actor)) throw new AppError('admin.forbidden', 'forbidden');
    const ports = this.#ports;
    const now = (ports.now ?? Date.now)();
    const all = (await ports.nodes()).map((n) => ({
      ...n,
      secondsSinceHeartbeat: Math.max(0, Math.round((now - n.heartbeatAt.getTime()) / 1000)),
    }));
    const nodes = [...all.filter((n) => n.alive), ...all.filter((n) => !n.alive)];
    const live = nodes.filter((n) => n.alive);
    return {
      thisNode: ports.thisNode,
      heartbeatSeconds: ports.heartbeatSeconds,
      deadAfterSeconds: ports.deadAfterSeconds,
      nodes,
      liveCount: live.length,
      peopleOnline: live.reduce((sum, n) => sum + n.presence.people, 0),
    };
  }
}
