export { NodeRegistry, NodeRefusedError, type NodeRegistryOptions } from './node-registry';
export type { NodeAddress, NodeLoad, NodeRecord } from './node-record';
export { PresenceTally, type NodePresence } from './presence-tally';
export { NO_OTHER_NODES, type ClusterBus } from './cluster-bus';
export { PostgresBus } from './postgres-bus';
export { ClusterWideEvents, type EventSource } from './cluster-wide-events';
export { PresenceRelay, type LocalPresence } from './presence-relay';
export {
  AdvisoryLockLeadership,
  SoleNodeLeadership,
  type JobLeadership,
  type LeaderDuties,
} from './job-leadership';
export { SharedLimitCounter, type LimitCount } from './shared-limit-counter';
export { RoomPlacement, type Placement } from './room-placement';
