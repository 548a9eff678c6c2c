export { loadConfig, type LoadConfigOptions } from './load-config';
export { ConfigError } from './config-error';
export type {
  Config,
  DatabaseConfig,
  HttpConfig,
  MailConfig,
  SecretsConfig,
  AccountsConfig,
  ClusterConfig,
} from './config.types';
export { SETTINGS, type SettingName } from './settings';
