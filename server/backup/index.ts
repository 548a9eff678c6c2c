export { BackupService, type BackupServiceDeps, type RestoreResult } from './backup.service';
export { BackupScheduler, type BackupSchedulerTiming } from './backup-scheduler';
export { listBackups, type BackupEntry } from './backup-files';
export { migrateWithBackup } from './migrate-with-backup';
export { BackupRefusedError, type BackupConfig, type BackupReason, type BackupResult } from './backup.types';
