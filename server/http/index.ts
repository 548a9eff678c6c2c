export { createHttpApp, type HttpDeps } from './create-http-app';
export type { ReadinessCheck } from './routes/health.routes';
export { sessionHandshakeOf } from './middleware/accounts-pipeline';
export { handshakeLanguage, type LanguageSettings } from './middleware/language-locals';
export type { InvitedGuest, OpenSession } from './routes/scheduling.routes';
