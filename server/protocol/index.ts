/**
 * Haven's wire protocol: type-only, imported by the server (`server/realtime`, the features that
 * build payloads), the browser bundles (`public/src`) and the tests. Nothing here exists at run
 * time; `npm run typecheck` checks all three sides against it.
 */
export type * from './error-codes';
export type * from './events';
export type * from './messaging';
export type * from './rooms';
export type * from './check';
