import { z } from 'zod';

/**
 * Every setting Haven reads from the environment, in one table.
 *
 * Each entry carries its own schema, its default and a human sentence saying what is allowed, so that
 * (1) a bad value stops start-up with one line naming the variable and the allowed values, and
 * (2) a test can hold the README's configuration table to this list.
 */
export interface SettingSpec<T extends z.ZodType = z.ZodType> {
  readonly schema: T;
  /** What the operator may write, shown in the error line and the README. */
  readonly allowed: string;
  /** What the setting does, for the README. */
  readonly description: string;
  /** The default as shown in the README (the real default lives in the schema). */
  readonly defaultText: string;
}

function setting<T extends z.ZodType>(spec: SettingSpec<T>): SettingSpec<T> {
  return spec;
}

const port = z.coerce.number().int().min(1).max(65535);
const positiveMs = z.coerce.number().int().min(1);
const optionalSecret = z.string().min(32).optional();

export const SETTINGS = {
  NODE_ENV: setting({
    schema: z.enum(['production', 'development', 'test']).default('production'),
    allowed: 'production, development or test',
    description: 'Runtime mode. Development shows more detail in logs; users never see stack traces.',
    defaultText: 'production',
  }),
  HOST: setting({
    schema: z.string().min(1).default('127.0.0.1'),
    allowed: 'an IP address or host name to listen on',
    description: 'Address the web server listens on. Use 0.0.0.0 inside a container.',
    defaultText: '127.0.0.1',
  }),
  PORT: setting({
    schema: port.default(3000),
    allowed: 'an integer from 1 to 65535',
    description: 'TCP port the web server listens on.',
    defaultText: '3000',
  }),
  PUBLIC_URL: setting({
    schema: z.url({ protocol: /^https?$/ }).optional(),
    allowed: 'an absolute http:// or https:// URL, e.g. https://care.example.org',
    description:
      'The address people use to reach Haven; used in links inside emails. Defaults to http://HOST:PORT.',
    defaultText: 'http://HOST:PORT',
  }),
  DATA_DIR: setting({
    schema: z.string().min(1).default('./data'),
    allowed: 'a directory path (created if missing)',
    description: 'Where Haven keeps its SQLite database, generated secrets and uploaded files.',
    defaultText: './data',
  }),
  DATABASE_URL: setting({
    schema: z
      .string()
      .regex(/^(sqlite:|postgres:\/\/|postgresql:\/\/)/, 'must start with sqlite: or postgres://')
      .optional(),
    allowed: 'sqlite:<path>, or postgres://user:password@host:port/database',
    description: 'Database. SQLite file by default; a postgres:// URL when a clinic outgrows one machine.',
    defaultText: 'sqlite:DATA_DIR/haven.sqlite',
  }),
  SQLITE_BUSY_TIMEOUT_MS: setting({
    schema: positiveMs.default(5000),
    allowed: 'a whole number of milliseconds, at least 1',
    description: 'How long a SQLite connection waits for a lock before giving up.',
    defaultText: '5000',
  }),
  SMTP_URL: setting({
    schema: z
      .string()
      .regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://')
      .optional(),
    allowed: 'smtp://user:password@host:port or smtps://… (empty keeps mail in the outbox)',
    description:
      'Outgoing mail server. Without it, every email waits in the outbox (`npm run outbox` lists it).',
    defaultText: '(none: mail stays in the outbox)',
  }),
  MAIL_FROM: setting({
    schema: z.string().min(3).default('Haven <no-reply@localhost>'),
    allowed: 'an address, optionally with a name: Clinic <care@example.org>',
    description: 'The From address of every email Haven sends.',
    defaultText: 'Haven <no-reply@localhost>',
  }),
  MAIL_MAX_ATTEMPTS: setting({
    schema: z.coerce.number().int().min(1).max(50).default(8),
    allowed: 'an integer from 1 to 50',
    description:
      'Delivery attempts for one email before it is marked failed (retries back off exponentially).',
    defaultText: '8',
  }),
  MAIL_POLL_INTERVAL_MS: setting({
    schema: positiveMs.default(2000),
    allowed: 'a whole number of milliseconds, at least 1',
    description: 'How often the mail sender looks for due emails in the outbox.',
    defaultText: '2000',
  }),
  CLINIC_NAME: setting({
    schema: z.string().min(1).max(120).default('Haven'),
    allowed: 'text, 1 to 120 characters',
    description: 'The clinic name shown on pages and in emails until an admin sets it in the app.',
    defaultText: 'Haven',
  }),
  CRISIS_RESOURCES: setting({
    // Unset: Haven's own sentence (clinical:crisis.resourcesDefault), written in each reader's language.
    schema: z.string().min(10).max(2000).optional(),
    allowed: 'text, 10 to 2000 characters (write \\n for a line break; one language for every reader)',
    description:
      'Crisis resources shown at once to a client whose PHQ-9 item 9 answer is above 0, and on the crisis help page.',
    defaultText:
      "(none: Haven's own sentence in each reader's language: call your local emergency number; findahelpline.com)",
  }),
  BREAK_GLASS_MINUTES: setting({
    schema: z.coerce.number().int().min(5).max(240).default(60),
    allowed: 'an integer from 5 to 240 (minutes)',
    description:
      "How long an admin's emergency (break-glass) access to one client's record lasts; always audited and shown to the therapist.",
    defaultText: '60',
  }),
  CLINICAL_RETENTION_YEARS: setting({
    schema: z.coerce.number().int().min(1).max(100).default(7),
    allowed: 'an integer from 1 to 100 (years)',
    description:
      "How long an erased client's clinical record (notes, scores, intake, appointments) is kept, restricted to audited break-glass reads, before the retention job purges it. Counted from the approval of the erasure request.",
    defaultText: '7',
  }),
  CARE_PLAN_REVIEW_DAYS: setting({
    schema: z.coerce.number().int().min(14).max(365).default(90),
    allowed: 'an integer from 14 to 365 (days)',
    description:
      "How long after a treatment plan is signed its review falls due (insurers ask for 90 to 180 days). The therapist's clinical dashboard lists reviews from 14 days before they are due, and as overdue after.",
    defaultText: '90',
  }),
  DIRECTORY_VISIBILITY: setting({
    schema: z.enum(['public', 'signed_in']).default('signed_in'),
    allowed: 'public or signed_in',
    description: 'Who may browse the therapist directory: anyone, or only people signed in.',
    defaultText: 'signed_in',
  }),
  MESSAGING_FRONT_DESK: setting({
    schema: z
      .enum(['true', 'false'])
      .default('false')
      .transform((v) => v === 'true'),
    allowed: 'true or false',
    description: "Clients may also message the clinic's front desk (answered by admins).",
    defaultText: 'false',
  }),
  MESSAGING_EXPECTATIONS: setting({
    // Unset: Haven's own sentence (messaging:expectations.default), written in each reader's language.
    schema: z.string().min(10).max(1000).optional(),
    allowed: 'text, 10 to 1000 characters (one language for every reader)',
    description: 'Shown above every message composer: reply times and what to do in an emergency.',
    defaultText:
      "(none: Haven's own sentence in each reader's language: replies within 2 working days; in an emergency call 911 / local emergency number)",
  }),
  MESSAGE_ATTACHMENT_MAX_KB: setting({
    schema: z.coerce.number().int().min(1).max(51200).default(10240),
    allowed: 'an integer from 1 to 51200 (kilobytes)',
    description: 'Largest file that can be attached to a message (PDF, PNG, JPEG, GIF, WebP or plain text).',
    defaultText: '10240',
  }),
  GROUPS_FACILITATORS_SEE_NAMES: setting({
    schema: z
      .enum(['true', 'false'])
      .default('false')
      .transform((v) => v === 'true'),
    allowed: 'true or false',
    description:
      "Peer-group facilitators may see members' real names (members only ever see each other's pseudonyms; admins always may).",
    defaultText: 'false',
  }),
  GROUPS_ON_CALL_EMAIL: setting({
    schema: z.email().optional(),
    allowed: "the email address of a therapist's Haven account",
    description:
      'Who gets peer-group escalation alerts (dashboard + an email without details). Unset or not a therapist: every admin.',
    defaultText: '(the clinic admins)',
  }),
  NODE_ID: setting({
    schema: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/)
      .optional(),
    allowed: '1 to 63 letters, digits, dots, dashes or underscores, starting with a letter or digit',
    description:
      "This Haven process's name among the nodes sharing one PostgreSQL database (each node needs its own). On SQLite only one node may run.",
    defaultText: "(the machine's host name)",
  }),
  NODE_HEARTBEAT_SECONDS: setting({
    schema: z.coerce.number().int().min(1).max(60).default(5),
    allowed: 'an integer from 1 to 60 (seconds)',
    description:
      'How often this node writes its heartbeat and load (live rooms, consumers, media CPU) to the node registry.',
    defaultText: '5',
  }),
  NODE_DEAD_AFTER_SECONDS: setting({
    schema: z.coerce.number().int().min(3).max(600).default(15),
    allowed: 'an integer from 3 to 600 (seconds), at least twice NODE_HEARTBEAT_SECONDS',
    description:
      'A node whose last heartbeat is older than this is dead: it gets no new rooms, and a second node may take its place.',
    defaultText: '15',
  }),
  LOG_LEVEL: setting({
    schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    allowed: 'fatal, error, warn, info, debug, trace or silent',
    description: 'How much the server logs (JSON lines on standard output, health data redacted).',
    defaultText: 'info',
  }),
  TRUST_PROXY: setting({
    schema: z
      .string()
      .regex(/^(false|true|\d+|loopback|[0-9a-fA-F:.,/ ]+)$/, 'is not a recognised trust setting')
      .default('false'),
    allowed: 'false, a hop count (1), loopback, or a comma list of proxy addresses/CIDRs',
    description:
      'Which reverse proxies may set X-Forwarded-For. Keep false unless a proxy sits in front of Haven.',
    defaultText: 'false',
  }),
  BODY_LIMIT_KB: setting({
    schema: z.coerce.number().int().min(1).max(10240).default(100),
    allowed: 'an integer from 1 to 10240 (kilobytes)',
    description: 'Largest form or JSON body the server accepts.',
    defaultText: '100',
  }),
  SHUTDOWN_TIMEOUT_MS: setting({
    schema: z.coerce.number().int().min(100).max(10000).default(8000),
    allowed: 'an integer from 100 to 10000 (milliseconds)',
    description: 'On SIGTERM/SIGINT, how long in-flight requests may finish before the process exits anyway.',
    defaultText: '8000',
  }),
  SESSION_IDLE_MINUTES: setting({
    schema: z.coerce.number().int().min(1).max(1440).default(30),
    allowed: 'an integer from 1 to 1440 (minutes)',
    description: 'A session with no request for this long is signed out.',
    defaultText: '30',
  }),
  SESSION_ABSOLUTE_HOURS: setting({
    schema: z.coerce.number().int().min(1).max(720).default(12),
    allowed: 'an integer from 1 to 720 (hours)',
    description: 'A session ends this long after sign-in, however active it is.',
    defaultText: '12',
  }),
  PASSWORD_MIN_LENGTH: setting({
    schema: z.coerce.number().int().min(8).max(64).default(12),
    allowed: 'an integer from 8 to 64 (characters)',
    description:
      'Shortest password accepted (NIST SP 800-63B: never below 8). Up to 128 characters are allowed (ASVS 2.1.2).',
    defaultText: '12',
  }),
  AUTH_ATTEMPTS_PER_ACCOUNT: setting({
    schema: z.coerce.number().int().min(1).max(1000).default(10),
    allowed: 'an integer from 1 to 1000',
    description:
      'Failed attempts allowed per account in 15 minutes, each kind counted apart: wrong passwords against an address, wrong two-factor or recovery codes and wrong current passwords for the account itself. Reset emails per address: this or 5, whichever is lower.',
    defaultText: '10',
  }),
  AUTH_ATTEMPTS_PER_IP: setting({
    schema: z.coerce.number().int().min(1).max(10000).default(100),
    allowed: 'an integer from 1 to 10000',
    description:
      'Sign-in, sign-up, reset and two-factor attempts allowed per client IP address in 15 minutes.',
    defaultText: '100',
  }),
  SESSION_SECRET: setting({
    schema: optionalSecret,
    allowed: 'at least 32 characters',
    description: 'Signs session cookies. Generated into DATA_DIR/secrets/ on first start if unset.',
    defaultText: '(generated)',
  }),
  FIELD_ENCRYPTION_KEY: setting({
    schema: z
      .string()
      .regex(/^[A-Za-z0-9+/]{43}=$/, 'must be 32 bytes in base64 (44 characters)')
      .optional(),
    allowed: '32 random bytes in base64 (openssl rand -base64 32)',
    description:
      'Encrypts health information at rest (AES-256-GCM). Generated on first start if unset. Losing it loses the data.',
    defaultText: '(generated)',
  }),
  FIELD_ENCRYPTION_OLD_KEYS: setting({
    schema: z
      .string()
      .regex(/^([A-Za-z0-9+/]{43}=)(,[A-Za-z0-9+/]{43}=)*$/, 'must be a comma list of base64 32-byte keys')
      .optional(),
    allowed: 'comma-separated base64 keys',
    description:
      'Previous encryption keys, still accepted for reading after a rotation; new writes use FIELD_ENCRYPTION_KEY.',
    defaultText: '(none)',
  }),
  MEDIA_WORKERS: setting({
    schema: z.coerce.number().int().min(0).max(64).default(0),
    allowed: 'an integer from 0 to 64 (0 = one per CPU core)',
    description: 'How many mediasoup worker processes carry live-session audio and video.',
    defaultText: '0 (one per core)',
  }),
  MEDIA_LISTEN_IP: setting({
    schema: z.union([z.ipv4(), z.ipv6()]).default('0.0.0.0'),
    allowed: 'an IPv4 or IPv6 address of this machine (0.0.0.0 = all)',
    description: 'Address the media ports listen on.',
    defaultText: '0.0.0.0',
  }),
  MEDIA_ANNOUNCED_ADDRESS: setting({
    schema: z
      .string()
      .regex(/^[A-Za-z0-9.:-]{1,253}$/, 'must be an IP address or host name')
      .optional(),
    allowed: 'the public IP address or host name browsers send media to',
    description:
      'What browsers are told to send media to. Needed when MEDIA_LISTEN_IP is 0.0.0.0 or behind NAT/Docker; defaults to MEDIA_LISTEN_IP, or the host of PUBLIC_URL when that is 0.0.0.0.',
    defaultText: '(MEDIA_LISTEN_IP or the PUBLIC_URL host)',
  }),
  MEDIA_PORT: setting({
    schema: port.default(40000),
    allowed: 'an integer from 1 to 65535',
    description:
      'First media port. Worker i listens on MEDIA_PORT+i over UDP and TCP: open that range in the firewall.',
    defaultText: '40000',
  }),
  MEDIA_ICE_TRANSPORT_POLICY: setting({
    schema: z.enum(['all', 'relay']).default('all'),
    allowed: 'all or relay (relay needs TURN_HOST)',
    description:
      'How browsers in a live session may reach the media server: all tries direct first and falls back to the TURN relay; relay forces all media through TURN, for networks that need it.',
    defaultText: 'all',
  }),
  ROOM_OPEN_BEFORE_MINUTES: setting({
    schema: z.coerce.number().int().min(0).max(240).default(15),
    allowed: 'an integer from 0 to 240',
    description: 'How many minutes before an appointment starts its session room opens.',
    defaultText: '15',
  }),
  ROOM_GRACE_MINUTES: setting({
    schema: z.coerce.number().int().min(0).max(240).default(30),
    allowed: 'an integer from 0 to 240',
    description: 'How many minutes after an appointment ends its session room can still be entered.',
    defaultText: '30',
  }),
  ROOM_E2EE: setting({
    schema: z.enum(['off', 'on', 'per-session']).default('off'),
    allowed: 'off, on or per-session',
    description:
      "End-to-end encrypted media in one-to-one and couple sessions (not group meetings): the browsers agree the keys and the media server forwards frames it cannot read. On: every such session. Per-session: the appointment's therapist chooses on its page, session by session; off unless chosen, and ad-hoc sessions are plain. An encrypted session has simulcast off, and a browser without the Encoded Transform API is told so and sends no media (docs/media.md).",
    defaultText: 'off',
  }),
  SCHEDULING_JOIN_WINDOW_MINUTES: setting({
    schema: z.coerce.number().int().min(0).max(120).default(10),
    allowed: 'an integer from 0 to 120',
    description:
      'How many minutes before an appointment starts its "Join" button is enabled (until the end).',
    defaultText: '10',
  }),
  SCHEDULING_REMINDER_OFFSETS: setting({
    schema: z
      .string()
      .regex(/^\s*\d{1,4}[mhd](\s*,\s*\d{1,4}[mhd])*\s*$/, 'must be a list such as 24h,1h')
      .default('24h,1h'),
    allowed: 'comma-separated durations before the start, each a number with m, h or d (e.g. 24h,1h,15m)',
    description: 'When appointment reminder emails go out, before the start.',
    defaultText: '24h,1h',
  }),
  SCHEDULING_LATE_CANCEL_HOURS: setting({
    schema: z.coerce.number().int().min(0).max(336).default(24),
    allowed: 'an integer from 0 to 336',
    description:
      'Clients cancelling closer than this to the start are recorded as late cancellations (and can no longer move the appointment themselves).',
    defaultText: '24',
  }),
  SCHEDULING_REMINDER_POLL_SECONDS: setting({
    schema: z.coerce.number().int().min(1).max(3600).default(60),
    allowed: 'an integer from 1 to 3600',
    description: 'How often the server looks for appointment reminders that are due.',
    defaultText: '60',
  }),
  TURN_SECRET: setting({
    schema: optionalSecret,
    allowed: 'at least 32 characters, the same as coturn static-auth-secret',
    description: 'Shared secret for short-lived TURN credentials. Generated on first start if unset.',
    defaultText: '(generated)',
  }),
  TURN_HOST: setting({
    schema: z
      .string()
      .regex(/^[A-Za-z0-9.:-]{1,253}$/, 'must be a host name or IP address')
      .optional(),
    allowed: 'the host name (or IP address) of the coturn relay, usually the clinic domain',
    description:
      'Where browsers reach the TURN relay (TURN_PORT over UDP/TCP, 5349 with TURN_TLS). Unset: no TURN servers are offered, media goes direct only.',
    defaultText: '(none)',
  }),
  TURN_PORT: setting({
    schema: port.default(3478),
    allowed: 'an integer from 1 to 65535',
    description: 'The port browsers reach the TURN relay on, over UDP and TCP (coturn listening-port).',
    defaultText: '3478',
  }),
  TURN_TLS: setting({
    schema: z
      .enum(['true', 'false'])
      .default('false')
      .transform((v) => v === 'true'),
    allowed: 'true or false',
    description: 'Also offer TURN over TLS on TURN_HOST:5349 (coturn has a certificate for that name).',
    defaultText: 'false',
  }),
  TURN_CREDENTIAL_TTL_SECONDS: setting({
    schema: z.coerce.number().int().min(60).max(86400).default(600),
    allowed: 'an integer from 60 to 86400',
    description:
      'How long a TURN credential handed to a person admitted to a room stays valid (a new one is issued for every transport).',
    defaultText: '600',
  }),
  BACKUP_DIR: setting({
    schema: z.string().min(1).optional(),
    allowed: 'a directory path (created if missing), ideally on another disk',
    description:
      'Where online database backups are written (`npm run backup`, the schedule, and before each upgrade).',
    defaultText: 'DATA_DIR/backups',
  }),
  BACKUP_RETENTION: setting({
    schema: z.coerce.number().int().min(1).max(1000).default(14),
    allowed: 'an integer from 1 to 1000',
    description: 'How many backups to keep; the oldest beyond this are deleted after each new backup.',
    defaultText: '14',
  }),
  BACKUP_INTERVAL_HOURS: setting({
    schema: z.coerce.number().int().min(0).max(8760).default(24),
    allowed: 'an integer from 0 to 8760 (0 = no scheduled backups)',
    description: 'Hours between scheduled backups taken by the running server.',
    defaultText: '24',
  }),
  BACKUP_PASSPHRASE: setting({
    schema: z.string().min(12).optional(),
    allowed: 'at least 12 characters (empty = backups are not encrypted)',
    description:
      'Encrypts backups (AES-256-GCM, key from scrypt). Keep it somewhere other than the server: restore needs it.',
    defaultText: '(none: backups are not encrypted)',
  }),
} as const;

export type SettingName = keyof typeof SETTINGS;
