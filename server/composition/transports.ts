/**
 * Phase 3 of the composition root: the ways in. HTTP (express: pages, forms, /readyz) is built
 * now; the socket.io server is attached when main.ts has an HTTP server to attach it to. Both only
 * parse, call one feature and answer; everything they need arrives here, built.
 */
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Express } from 'express';
import { sessionKeyOf, type SessionEventMap } from '../accounts';
import { ClusterWideEvents, PresenceRelay, SharedLimitCounter } from '../cluster';
import { pingDatabase } from '../db';
import { PhotoStore } from '../directory';
import type { MessagingEvents } from '../messaging';
import {
  createHttpApp,
  handshakeLanguage,
  sessionHandshakeOf,
  type LanguageSettings,
  type ReadinessCheck,
} from '../http';
import {
  actorFromHandshake,
  createRealtime,
  ipFromHandshake,
  type EngineMiddleware,
  type Realtime,
} from '../realtime';
import { invitedGuestsOf, openSessionsOf } from './adapters';
import type { Features } from './features';
import type { Infrastructure } from './infrastructure';

export interface Transports {
  readonly http: Express;
  /** Attaches the socket.io server (live sessions, messaging) to the server main.ts listens with; once. */
  attachRealtime(server: HttpServer): Realtime;
  /** Closes the socket.io server if it was attached. */
  close(): Promise<void>;
}

/** What /readyz checks: the database always; media when it was asked for. */
function readinessChecks(infra: Infrastructure): ReadinessCheck[] {
  const { media } = infra;
  const checks: ReadinessCheck[] = [{ name: 'database', check: () => pingDatabase(infra.sequelize) }];
  if (infra.mediaWanted) {
    // Degraded while a dead worker is being replaced; failing only when no worker is alive.
    checks.push({
      name: 'media',
      check: async () => {
        const state = media ? await media.readiness() : 'failing';
        return state === 'degraded' ? state : state === 'ok';
      },
      details: () => media?.stats() ?? { workers: 0, aliveWorkers: 0 },
    });
  }
  return checks;
}

/** A room page's socket path on several nodes: the room's node, by name, through the proxy. */
function nodeSocketPath(nodeId: string): string {
  return `/node/${nodeId}/socket.io`;
}

/**
 * Each node also answers its own `/node/<id>/socket.io` (as `/socket.io`), so the room page's path
 * works whether the proxy strips the prefix or not, and on a single node reached without a proxy.
 * Runs before socket.io's own listeners see the request.
 */
function answerOwnNodePath(server: HttpServer, nodeId: string): void {
  const prefix = nodeSocketPath(nodeId);
  const rewrite = (req: IncomingMessage): void => {
    const url = req.url ?? '';
    if (url === prefix || url.startsWith(`${prefix}/`) || url.startsWith(`${prefix}?`)) {
      req.url = `/socket.io${url.slice(prefix.length)}`;
    }
  };
  server.prependListener('request', rewrite);
  server.prependListener('upgrade', rewrite);
}

export function createTransports(infra: Infrastructure, f: Features): Transports {
  const { config, logger, clock } = infra;
  const { preferences } = f;
  // What the clinic offers, read per request and per socket (the admin console may change it).
  const languages: LanguageSettings = {
    offered: () => preferences.current.languages,
    clinicDefault: () => preferences.defaultLanguage,
  };
  const http = createHttpApp({
    http: config.http,
    clinicName: config.clinic.name,
    production: config.env === 'production',
    logger,
    readiness: readinessChecks(infra),
    rooms: {
      rooms: f.rooms,
      displayName: f.displayName,
      // Several nodes (PostgreSQL): the page signals to the room's node through the proxy.
      ...(config.database.dialect === 'postgres'
        ? {
            signalPathFor: async (roomId: string) =>
              nodeSocketPath((await infra.placement.place(roomId)).nodeId),
          }
        : {}),
    },
    check: { connectivity: f.connectivity },
    home: { home: f.home },
    scheduling: {
      scheduling: f.scheduling,
      clock,
      person: (id) => f.schedulingPeople.byId(id),
      therapists: () => f.schedulingPeople.withRole('therapist'),
      clientsOf: f.care.clientsOf,
      openSessions: (client) => openSessionsOf(f.rooms, f.displayName, client),
      guestsOf: (viewer, appointmentId) => invitedGuestsOf(f.rooms, viewer, appointmentId),
      encryptionOf: (a) => ({
        state: f.rooms.e2eeChoice.forAppointment(a),
        offered: f.rooms.e2eeChoice.offered,
      }),
    },
    messaging: { messaging: f.messaging, attachmentMaxBytes: config.messaging.attachmentMaxBytes },
    groups: {
      groups: f.groups,
      alerts: f.groupAlerts,
      meetings: f.groupMeetings,
      rooms: f.rooms,
      roomTimes: config.rooms,
      people: () => f.accounts.list(),
    },
    clinical: {
      clinical: f.clinical,
      directory: f.directory,
      people: f.accounts,
      carePlanning: f.carePlanning,
    },
    carePlanning: {
      carePlanning: f.carePlanning,
      clinical: f.clinical,
      people: f.accounts,
      crisisResources: (language: string) => f.clinical.crisis.resourcesFor(language),
      clinicName: async () => (await f.accounts.clinic.get()).clinicName ?? config.clinic.name,
      clock,
    },
    dataRights: {
      dataRights: f.dataRights,
      people: f.accounts,
      retentionYears: config.clinical.retentionYears,
    },
    directory: {
      directory: f.directory,
      get visibility() {
        return preferences.directoryVisibility;
      },
      photos: new PhotoStore(`${config.dataDir}/photos`),
    },
    admin: { admin: f.admin, clinical: f.clinical },
    billing: { billing: f.billing },
    sessionTimeouts: {
      get idleMs() {
        return preferences.sessionIdleMs;
      },
      get absoluteMs() {
        return preferences.sessionAbsoluteMs;
      },
    },
    translator: infra.translator,
    languages,
    accounts: f.accounts,
    accountsConfig: config.accounts,
    sessionSecret: config.secrets.sessionSecret,
    // Several nodes on PostgreSQL count attempts together; one node keeps them in memory.
    ...(config.database.dialect === 'postgres'
      ? { limitStores: (name: string) => new SharedLimitCounter(infra.sequelize, name) }
      : {}),
    clock,
  });

  let realtime: Realtime | null = null;
  const relays: { stop(): void }[] = [];
  return {
    http,
    attachRealtime(server) {
      if (realtime) return realtime;
      if (config.database.dialect === 'postgres') answerOwnNodePath(server, config.cluster.nodeId);
      // What happens on another node reaches the sockets this node holds: messages sent there, and
      // signing out (everywhere, or by a password change) done there.
      const messagingEvents = new ClusterWideEvents<MessagingEvents>({
        source: f.messaging.messages,
        bus: infra.bus,
        topic: 'messaging',
        events: ['message:new', 'message:read', 'message:retracted'],
        logger,
      });
      const sessionEvents = new ClusterWideEvents<SessionEventMap>({
        source: f.accounts.sessions.events,
        bus: infra.bus,
        topic: 'sessions',
        events: ['signedOut'],
        logger,
      });
      relays.push(messagingEvents, sessionEvents);
      if (config.database.dialect === 'postgres') {
        // Someone with a messaging page open on another node is online too: no "new message" email.
        const presenceRelay = new PresenceRelay({
          presence: f.messaging.presence,
          bus: infra.bus,
          topic: 'messaging-presence',
          nodeId: config.cluster.nodeId,
          everyMs: config.cluster.heartbeatMs,
          staleAfterMs: config.cluster.deadAfterMs,
          logger,
        });
        f.messaging.presence.lookElsewhere((userId) => presenceRelay.isOnlineElsewhere(userId));
        relays.push(presenceRelay);
      }
      const attached = createRealtime({
        server,
        allowedOrigin: config.http.publicUrl,
        // express-session and passport only touch the node request/response, as socket.io documents.
        sessionMiddlewares: sessionHandshakeOf(http) as unknown as EngineMiddleware[],
        actorOf: actorFromHandshake,
        ipOf: (req) => ipFromHandshake(req, config.http.trustProxy),
        readerOf: (req) => {
          const lang = handshakeLanguage(req, languages);
          return { t: infra.translator.fixedT(lang), english: lang === 'en' };
        },
        sessionKeyOf: (req) => {
          const sid = (req as { sessionID?: string }).sessionID;
          return sid ? sessionKeyOf(sid) : null;
        },
        rooms: f.rooms,
        messaging: f.messaging,
        messagingEvents,
        presence: infra.presence,
        logger,
      });
      // Signing out (here, everywhere, or by a password change) also ends live-session sockets.
      sessionEvents.on('signedOut', ({ userId, sessionId }) => attached.disconnectUser(userId, sessionId));
      realtime = attached;
      return attached;
    },
    async close() {
      for (const relay of relays.splice(0)) relay.stop();
      await realtime?.close();
    },
  };
}
