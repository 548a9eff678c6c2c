import { presenceFrom, type NodePresence } from './presence-tally';

/** Where a node serves and sends media from: what it announces when it joins. */
export interface NodeAddress {
  readonly id: string;
  readonly publicUrl: string;
  /** Null when the node runs no media workers (then it never gets a room). */
  readonly mediaAddress: string | null;
  readonly mediaFirstPort: number | null;
  /** How many consecutive ports from mediaFirstPort (one per worker, UDP and TCP). */
  readonly mediaPorts: number;
}

/** A node's load, written with every heartbeat. */
export interface NodeLoad {
  readonly liveRooms: number;
  readonly consumers: number;
  /** Cores' worth of CPU its media workers used since the previous heartbeat. */
  readonly workerCpu: number;
}

/** One row of the registry as the rest of Haven reads it. */
export interface NodeRecord extends NodeAddress, NodeLoad {
  readonly instance: string;
  readonly host: string;
  readonly pid: number;
  readonly startedAt: Date;
  readonly heartbeatAt: Date;
  /** Its last heartbeat is within NODE_DEAD_AFTER_SECONDS. */
  readonly alive: boolean;
  /** Who was connected at its last heartbeat (counts only). */
  readonly presence: NodePresence;
}

/** The registry row, as both engines return it (BIGINT arrives as a string from PostgreSQL). */
export interface NodeRow {
  id: string;
  instance: string;
  host: string;
  pid: number;
  public_url: string;
  media_address: string | null;
  media_first_port: number | null;
  media_ports: number;
  started_at: string | number;
  heartbeat_at: string | number;
  live_rooms: number;
  consumers: number;
  worker_cpu: number | string;
  /** JSON of a NodePresence; null before the first heartbeat that wrote one. */
  online: string | null;
}

export function recordOf(row: NodeRow, now: number, deadAfterMs: number): NodeRecord {
  const heartbeatAt = Number(row.heartbeat_at);
  return {
    id: row.id,
    instance: row.instance,
    host: row.host,
    pid: Number(row.pid),
    publicUrl: row.public_url,
    mediaAddress: row.media_address,
    mediaFirstPort: row.media_first_port === null ? null : Number(row.media_first_port),
    mediaPorts: Number(row.media_ports),
    startedAt: new Date(Number(row.started_at)),
    heartbeatAt: new Date(heartbeatAt),
    liveRooms: Number(row.live_rooms),
    consumers: Number(row.consumers),
    workerCpu: Number(row.worker_cpu),
    alive: now - heartbeatAt <= deadAfterMs,
    presence: presenceFrom(row.online),
  };
}
