import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import type { z } from 'zod';
import { ConfigError } from './config-error';
import type { Config } from './config.types';
import { generators, provideSecret } from './secrets';
import { SETTINGS, type SettingName } from './settings';

type Env = Readonly<Record<string, string | undefined>>;

export interface LoadConfigOptions {
  /** Directory relative paths and `.env` are resolved against. */
  readonly cwd?: string;
  /** Read `<cwd>/.env` (variables already in the environment win). Default true. */
  readonly readDotenv?: boolean;
}

/** Parses one setting; a bad value becomes one line naming the variable and what is allowed. */
function read<K extends SettingName>(env: Env, name: K): z.output<(typeof SETTINGS)[K]['schema']> {
  const spec = SETTINGS[name];
  const raw = env[name];
  const value = raw === undefined || raw.trim() === '' ? undefined : raw.trim();
  const result = spec.schema.safeParse(value);
  if (!result.success) {
    const shown = value === undefined ? 'nothing' : JSON.stringify(value.slice(0, 60));
    const secret = /SECRET|KEY|PASSPHRASE/.test(name);
    throw new ConfigError(
      `${name} is invalid (got ${secret ? 'a value that does not fit' : shown}): allowed is ${spec.allowed}`,
    );
  }
  return result.data as z.output<(typeof SETTINGS)[K]['schema']>;
}

/** The host name as a node id: the characters NODE_ID allows, at most 63 of them. */
function nodeIdFromHostName(name: string): string {
  const id = name
    .replace(/[^A-Za-z0-9._-]/g, '-')
    .replace(/^[._-]+/, '')
    .slice(0, 63);
  return id === '' ? 'haven' : id;
}

function parseTrustProxy(value: string): boolean | number | string {
  if (value === 'false') return false;
  if (value === 'true') return true;
  if (/^\d+$/.test(value)) return Number(value);
  return value;
}

/** `24h,1h,15m` → minutes, largest first, without duplicates. */
function parseOffsets(value: string): number[] {
  const unit = { m: 1, h: 60, d: 1440 } as const;
  const minutes = value.split(',').map((part) => {
    const text = part.trim();
    return Number(text.slice(0, -1)) * unit[text.slice(-1) as keyof typeof unit];
  });
  return [...new Set(minutes.filter((m) => m > 0))].sort((a, b) => b - a);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Buffer.isBuffer(value)) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/**
 * Builds Haven's configuration from the environment (and an optional `.env`). This module and its
 * siblings are the only readers of the environment; everything else receives a typed slice.
 */
export function loadConfig(processEnv: Env = process.env, options: LoadConfigOptions = {}): Config {
  const cwd = options.cwd ?? process.cwd();
  const dotenvFile = resolve(cwd, '.env');
  const fromFile =
    options.readDotenv !== false && existsSync(dotenvFile) ? parseDotenv(readFileSync(dotenvFile)) : {};
  const env: Env = { ...fromFile, ...processEnv };

  const nodeEnv = read(env, 'NODE_ENV');
  const host = read(env, 'HOST');
  const port = read(env, 'PORT');
  const dataDirSetting = read(env, 'DATA_DIR');
  const dataDir = isAbsolute(dataDirSetting) ? dataDirSetting : resolve(cwd, dataDirSetting);
  mkdirSync(dataDir, { recursive: true });

  const publicUrl = (
    read(env, 'PUBLIC_URL') ?? `http://${host.includes(':') ? `[${host}]` : host}:${port}`
  ).replace(/\/+$/, '');

  const databaseUrl = read(env, 'DATABASE_URL');
  const busyTimeoutMs = read(env, 'SQLITE_BUSY_TIMEOUT_MS');
  let database: Config['database'];
  if (databaseUrl === undefined) {
    database = { dialect: 'sqlite', storage: resolve(dataDir, 'haven.sqlite'), busyTimeoutMs };
  } else if (databaseUrl.startsWith('sqlite:')) {
    const path = databaseUrl.slice('sqlite:'.length).replace(/^\/\//, '');
    if (path === '') throw new ConfigError('DATABASE_URL is invalid: sqlite: needs a file path');
    database = {
      dialect: 'sqlite',
      storage: path === ':memory:' ? path : resolve(cwd, path),
      busyTimeoutMs,
    };
  } else {
    database = { dialect: 'postgres', url: databaseUrl };
  }

  const fieldKeyText = provideSecret(
    dataDir,
    'field-encryption.key',
    read(env, 'FIELD_ENCRYPTION_KEY'),
    generators.aesKey,
  );
  const fieldKey = Buffer.from(fieldKeyText, 'base64');
  if (fieldKey.length !== 32) {
    throw new ConfigError('the field-encryption key in DATA_DIR/secrets is not 32 bytes of base64');
  }
  const oldKeys = read(env, 'FIELD_ENCRYPTION_OLD_KEYS') ?? '';

  const mediaListenIp = read(env, 'MEDIA_LISTEN_IP');
  const unspecified = mediaListenIp === '0.0.0.0' || mediaListenIp === '::';
  const mediaAnnounced =
    read(env, 'MEDIA_ANNOUNCED_ADDRESS') ??
    (unspecified ? new URL(publicUrl).hostname.replace(/^\[|\]$/g, '') : mediaListenIp);

  // Forcing every transport through TURN with no TURN server would make every call fail.
  const iceTransportPolicy = read(env, 'MEDIA_ICE_TRANSPORT_POLICY');
  if (iceTransportPolicy === 'relay' && !read(env, 'TURN_HOST')) {
    throw new ConfigError('MEDIA_ICE_TRANSPORT_POLICY=relay needs TURN_HOST (the relay browsers must use)');
  }

  const heartbeatSeconds = read(env, 'NODE_HEARTBEAT_SECONDS');
  const deadAfterSeconds = read(env, 'NODE_DEAD_AFTER_SECONDS');
  // One missed heartbeat (a slow disk, a GC pause) must not make a live node look dead.
  if (deadAfterSeconds < heartbeatSeconds * 2) {
    throw new ConfigError(
      `NODE_DEAD_AFTER_SECONDS (${deadAfterSeconds}) must be at least twice NODE_HEARTBEAT_SECONDS (${heartbeatSeconds})`,
    );
  }

  const config: Config = {
    env: nodeEnv,
    dataDir,
    http: {
      host,
      port,
      publicUrl,
      trustProxy: parseTrustProxy(read(env, 'TRUST_PROXY')),
      bodyLimitBytes: read(env, 'BODY_LIMIT_KB') * 1024,
      shutdownTimeoutMs: read(env, 'SHUTDOWN_TIMEOUT_MS'),
    },
    database,
    mail: {
      smtpUrl: read(env, 'SMTP_URL'),
      from: read(env, 'MAIL_FROM'),
      maxAttempts: read(env, 'MAIL_MAX_ATTEMPTS'),
      pollIntervalMs: read(env, 'MAIL_POLL_INTERVAL_MS'),
    },
    clinic: { name: read(env, 'CLINIC_NAME') },
    clinical: {
      // Operators write \n in one env line for a line break.
      crisisResources: read(env, 'CRISIS_RESOURCES')?.replace(/\\n/g, '\n'),
      breakGlassMinutes: read(env, 'BREAK_GLASS_MINUTES'),
      retentionYears: read(env, 'CLINICAL_RETENTION_YEARS'),
      directoryVisibility: read(env, 'DIRECTORY_VISIBILITY'),
      planReviewDays: read(env, 'CARE_PLAN_REVIEW_DAYS'),
    },
    accounts: {
      sessionIdleMs: read(env, 'SESSION_IDLE_MINUTES') * 60_000,
      sessionAbsoluteMs: read(env, 'SESSION_ABSOLUTE_HOURS') * 3_600_000,
      passwordMinLength: read(env, 'PASSWORD_MIN_LENGTH'),
      attemptsPerAccount: read(env, 'AUTH_ATTEMPTS_PER_ACCOUNT'),
      attemptsPerIp: read(env, 'AUTH_ATTEMPTS_PER_IP'),
    },
    log: { level: read(env, 'LOG_LEVEL') },
    secrets: {
      sessionSecret: provideSecret(dataDir, 'session.secret', read(env, 'SESSION_SECRET'), generators.text),
      fieldKey,
      previousFieldKeys: oldKeys === '' ? [] : oldKeys.split(',').map((k) => Buffer.from(k, 'base64')),
      turnSecret: provideSecret(dataDir, 'turn.secret', read(env, 'TURN_SECRET'), generators.text),
    },
    media: {
      workers: read(env, 'MEDIA_WORKERS'),
      listenIp: mediaListenIp,
      announcedAddress: mediaAnnounced,
      basePort: read(env, 'MEDIA_PORT'),
      iceTransportPolicy,
    },
    turn: {
      host: read(env, 'TURN_HOST'),
      tls: read(env, 'TURN_TLS'),
      port: read(env, 'TURN_PORT'),
      credentialTtlSeconds: read(env, 'TURN_CREDENTIAL_TTL_SECONDS'),
    },
    backup: {
      // Relative paths resolve like DATA_DIR's (against the working directory).
      dir: resolve(cwd, read(env, 'BACKUP_DIR') ?? resolve(dataDir, 'backups')),
      retention: read(env, 'BACKUP_RETENTION'),
      passphrase: read(env, 'BACKUP_PASSPHRASE'),
      intervalHours: read(env, 'BACKUP_INTERVAL_HOURS'),
    },
    groups: {
      facilitatorsSeeNames: read(env, 'GROUPS_FACILITATORS_SEE_NAMES'),
      onCallEmail: read(env, 'GROUPS_ON_CALL_EMAIL'),
    },
    messaging: {
      frontDesk: read(env, 'MESSAGING_FRONT_DESK'),
      expectations: read(env, 'MESSAGING_EXPECTATIONS'),
      attachmentMaxBytes: read(env, 'MESSAGE_ATTACHMENT_MAX_KB') * 1024,
    },
    rooms: {
      openBeforeMs: read(env, 'ROOM_OPEN_BEFORE_MINUTES') * 60_000,
      graceMs: read(env, 'ROOM_GRACE_MINUTES') * 60_000,
      e2ee: read(env, 'ROOM_E2EE'),
    },
    scheduling: {
      joinWindowMinutes: read(env, 'SCHEDULING_JOIN_WINDOW_MINUTES'),
      reminderOffsetsMinutes: parseOffsets(read(env, 'SCHEDULING_REMINDER_OFFSETS')),
      lateCancelHours: read(env, 'SCHEDULING_LATE_CANCEL_HOURS'),
      reminderPollMs: read(env, 'SCHEDULING_REMINDER_POLL_SECONDS') * 1000,
    },
    cluster: {
      nodeId: read(env, 'NODE_ID') ?? nodeIdFromHostName(hostname()),
      heartbeatMs: heartbeatSeconds * 1000,
      deadAfterMs: deadAfterSeconds * 1000,
    },
  };
  return deepFreeze(config);
}
