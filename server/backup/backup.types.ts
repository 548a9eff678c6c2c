export type { BackupConfig } from '../config/config.types';

/** Why a backup was taken; part of its file name. */
export type BackupReason = 'scheduled' | 'manual' | 'pre-migration';

export interface BackupResult {
  readonly file: string;
  readonly bytes: number;
  readonly encrypted: boolean;
  readonly durationMs: number;
}

/** Raised when a file must not be restored; the message says why in an operator's words. */
export class BackupRefusedError extends Error {
  override readonly name = 'BackupRefusedError';
}
