export { ConnectivityService, DEFAULT_LIMITS, type ConnectivityDeps } from './connectivity.service';
export * as connectivitySchemas from './connectivity.schemas';
export type * from './connectivity.types';
