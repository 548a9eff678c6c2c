export { NodeRegistry, NodeRefusedError, type NodeRegistryOptions } from './node-registry';
export type { NodeAddress, NodeLoad, NodeRecord } from './node-record';
