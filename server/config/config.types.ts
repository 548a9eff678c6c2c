/** The typed, frozen configuration every other module receives (a slice of it, ideally). */
export interface Config {
  readonly env: 'production' | 'development' | 'test';
  readonly dataDir: string;
  readonly http: HttpConfig;
  readonly database: DatabaseConfig;
  readonly mail: MailConfig;
  readonly clinic: { readonly name: string };
  readonly clinical: ClinicalConfig;
  readonly log: { readonly level: string };
  readonly secrets: SecretsConfig;
  readonly accounts: AccountsConfig;
  readonly media: MediaConfig;
  readonly turn: TurnConfig;
  readonly rooms: RoomsConfig;
  readonly backup: BackupConfig;
  readonly messaging: MessagingConfig;
  readonly groups: { readonly facilitatorsSeeNames: boolean; readonly onCallEmail: string | undefined };
  readonly scheduling: SchedulingConfig;
  readonly cluster: ClusterConfig;
}

/** This process as one node among several sharing a database (issue 22). */
export interface ClusterConfig {
  /** NODE_ID, or the host name: unique among the live nodes of one database. */
  readonly nodeId: string;
  readonly heartbeatMs: number;
  /** A node whose last heartbeat is older than this is dead. */
  readonly deadAfterMs: number;
}

/** Scheduling and reminders (issue 6). */
export interface SchedulingConfig {
  /** The dashboard's "Join" button is enabled this many minutes before the start. */
  readonly joinWindowMinutes: number;
  /** Reminder emails this many minutes before the start, e.g. [1440, 60]. */
  readonly reminderOffsetsMinutes: readonly number[];
  readonly lateCancelHours: number;
  readonly reminderPollMs: number;
}

/** Clinical care and the directory (issue 7). */
export interface ClinicalConfig {
  /** Shown to a client in crisis; may contain line breaks. Undefined: Haven's own, in the reader's language. */
  readonly crisisResources: string | undefined;
  readonly breakGlassMinutes: number;
  /** Years an erased client's restricted clinical record is kept before it is purged. */
  readonly retentionYears: number;
  readonly directoryVisibility: 'public' | 'signed_in';
  /** Days from a treatment plan's signing until its review is due (care planning, issue 18). */
  readonly planReviewDays: number;
}

export interface HttpConfig {
  readonly host: string;
  readonly port: number;
  /** Absolute base URL without a trailing slash. */
  readonly publicUrl: string;
  /** Passed to express's `trust proxy` as-is. */
  readonly trustProxy: boolean | number | string;
  readonly bodyLimitBytes: number;
  readonly shutdownTimeoutMs: number;
}

export type DatabaseConfig =
  | { readonly dialect: 'sqlite'; readonly storage: string; readonly busyTimeoutMs: number }
  | { readonly dialect: 'postgres'; readonly url: string };

export interface MailConfig {
  /** Absent: mail is kept in the outbox and nothing is sent. */
  readonly smtpUrl: string | undefined;
  readonly from: string;
  readonly maxAttempts: number;
  readonly pollIntervalMs: number;
}

export interface SecretsConfig {
  readonly sessionSecret: string;
  /** The key new values are encrypted with. */
  readonly fieldKey: Buffer;
  /** Keys still accepted for decryption after a rotation. */
  readonly previousFieldKeys: readonly Buffer[];
  readonly turnSecret: string;
}

export interface MediaConfig {
  /** Worker processes; 0 is resolved to one per core by the media layer. */
  readonly workers: number;
  readonly listenIp: string;
  /** Address browsers send media to (ICE candidates). */
  readonly announcedAddress: string;
  /** Worker i uses basePort + i over UDP and TCP. */
  readonly basePort: number;
  /** RTCConfiguration.iceTransportPolicy for live-session transports: 'relay' forces TURN. */
  readonly iceTransportPolicy: 'all' | 'relay';
}

/** The TURN relay (coturn) offered to people admitted to a room; its secret is secrets.turnSecret. */
export interface TurnConfig {
  /** Unset: no TURN servers are offered (a plain install has no coturn). */
  readonly host: string | undefined;
  /** Also offer turns: on port 5349. */
  readonly tls: boolean;
  /** UDP/TCP port of the relay (TLS stays on 5349). */
  readonly port: number;
  readonly credentialTtlSeconds: number;
}

export interface RoomsConfig {
  /** An appointment room opens this long before the start. */
  readonly openBeforeMs: number;
  /** …and stays open this long after the end. */
  readonly graceMs: number;
  /**
   * ROOM_E2EE: whether one-to-one and couple sessions are end-to-end encrypted: never, always, or
   * as the appointment's therapist chose for it (`per-session`).
   */
  readonly e2ee: 'off' | 'on' | 'per-session';
}

/** Sign-in, session and password rules (issue 3). */
export interface AccountsConfig {
  readonly sessionIdleMs: number;
  readonly sessionAbsoluteMs: number;
  readonly passwordMinLength: number;
  /** Attempts allowed in one 15-minute window. */
  readonly attemptsPerAccount: number;
  readonly attemptsPerIp: number;
}

/** Online database backups (issue 10). */
export interface BackupConfig {
  /** Absolute directory holding backup files. */
  readonly dir: string;
  /** How many backups to keep; older ones are deleted after each new backup. */
  readonly retention: number;
  /** When set, backups are encrypted (AES-256-GCM, key from scrypt) and restore needs it. */
  readonly passphrase: string | undefined;
  /** Hours between scheduled backups; 0 turns the schedule off. */
  readonly intervalHours: number;
}

/** Secure messaging (issue 8). */
export interface MessagingConfig {
  /** Clients may also write to the front desk (admins answer). */
  readonly frontDesk: boolean;
  /** Shown above every composer; undefined: Haven's own sentence in the reader's language. */
  readonly expectations: string | undefined;
  readonly attachmentMaxBytes: number;
}
