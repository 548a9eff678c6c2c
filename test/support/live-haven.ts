// First: mediasoup reads MEDIASOUP_WORKER_BIN when it is first imported (through server/app).
import { MEDIASOUP_WORKER_BIN, testMediaPort } from './media-worker';
import type { Server } from 'node:http';
import type { Haven } from '../../server/app';
import type { MailTransport } from '../../server/mail';
import type { Clock } from '../../server/shared/clock';
import { listenOnLoopback, type LoopbackServer } from './loopback-server';
import { startTestHaven, type TestHaven } from './test-haven';

/**
 * A Haven listening on loopback as `npm start` runs it: pages and socket.io on one HTTP server whose
 * address is its PUBLIC_URL (so links in mail and the sockets' origin check agree with the browser),
 * with mediasoup workers when `media` is on.
 */
export interface LiveHaven {
  readonly t: TestHaven;
  readonly haven: Haven;
  /** `http://127.0.0.1:<port>`, also Haven's PUBLIC_URL. */
  readonly baseUrl: string;
  readonly server: Server;
  /** Closes Haven (and its temp directory), then drops open connections and stops listening. */
  stop(): Promise<void>;
}

export interface LiveHavenOptions {
  /** Start mediasoup workers (default true): live sessions and groups need them, pages and messaging do not. */
  readonly media?: boolean;
  /** How many media workers (default 1). */
  readonly workers?: number;
  /** Settings on top of the test defaults (PUBLIC_URL and the media ones are set here). */
  readonly env?: Record<string, string>;
  readonly clock?: Clock;
  readonly mailTransport?: MailTransport;
  /** Run the background jobs (the mail sender, reminders) as `npm start` does (default false). */
  readonly background?: boolean;
}

/** The one live-Haven starter (Practica's `testSetup.start`) for browser and socket tests. */
export async function startLiveHaven(options: LiveHavenOptions = {}): Promise<LiveHaven> {
  const media = options.media ?? true;
  if (media && !MEDIASOUP_WORKER_BIN)
    throw new Error('no mediasoup worker: run scripts/build-mediasoup-worker');
  // Listen first, so the address is known before Haven is built (PUBLIC_URL).
  const loopback = await listenOnLoopback();
  const build = () =>
    startTestHaven({
      startMedia: media,
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.mailTransport ? { mailTransport: options.mailTransport } : {}),
      env: {
        PUBLIC_URL: loopback.base,
        ...(media
          ? {
              MEDIA_WORKERS: String(options.workers ?? 1),
              MEDIA_LISTEN_IP: '127.0.0.1',
              MEDIA_PORT: String(testMediaPort()),
            }
          : {}),
        ...options.env,
      },
    });
  let t: TestHaven;
  try {
    t = media ? await withMediaPort(build) : await build();
  } catch (error) {
    await loopback.close();
    throw error;
  }
  try {
    // As `npm start` does: a node in the registry before it serves anyone.
    await t.haven.joinCluster();
  } catch (error) {
    await t.stop();
    await loopback.close();
    throw error;
  }
  loopback.serve(t.haven, { realtime: true });
  if (options.background) t.haven.startBackground();
  return live(t, loopback);
}

/**
 * The media port is picked at random, so now and then something on the machine already holds it
 * and the worker cannot listen. Haven then starts without media (by design); here that means: try
 * another port.
 */
async function withMediaPort(build: () => Promise<TestHaven>): Promise<TestHaven> {
  for (let attempt = 1; attempt <= 3; attempt += 1) {
    const t = await build();
    if (t.haven.media) return t;
    await t.stop();
  }
  throw new Error('media workers did not start (three ports tried)');
}

function live(t: TestHaven, loopback: LoopbackServer): LiveHaven {
  return {
    t,
    haven: t.haven,
    baseUrl: loopback.base,
    server: loopback.server,
    async stop() {
      await t.stop();
      await loopback.close();
    },
  };
}
