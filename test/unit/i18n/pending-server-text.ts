/**
 * Server files whose services still name problems in English (AppError messages, zod messages, a
 * form's field errors) instead of resource keys. This list may only shrink: the check in
 * server-text.test.ts fails for a file here that is already clean (take it off), and for any file
 * not here that writes such English — so a new problem is named as a key (`phrase('errors:…')`,
 * or the key itself as a zod message) from the start. Paths are relative to server/.
 */
export const PENDING_SERVER_FILES: readonly string[] = [];
