import { createServer } from 'node:http';
import type { Socket } from 'node:net';
import { createApp } from './app';
import { NodeRefusedError } from './cluster';
import { ConfigError, loadConfig } from './config';
import { createLogger } from './shared/logger';

/**
 * Process entry: read config, build Haven, listen, and on SIGTERM/SIGINT stop accepting, let
 * in-flight requests finish, close the database and exit within the shutdown timeout.
 */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`haven: configuration error: ${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  const logger = createLogger(config.log.level);
  const haven = await createApp({ config, logger });
  try {
    await haven.joinCluster();
  } catch (error) {
    if (!(error instanceof NodeRefusedError)) throw error;
    process.stderr.write(`haven: cannot start: ${error.message}\n`);
    await haven.close();
    process.exit(75); // EX_TEMPFAIL: it may start once the other node is gone
  }
  haven.startBackground();

  const server = createServer(haven.http);
  const realtime = haven.attachRealtime(server);
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.http.port, config.http.host, resolve);
  });
  logger.info(
    {
      url: config.http.publicUrl,
      database: config.database.dialect,
      mail: config.mail.smtpUrl ? 'smtp' : 'outbox only',
    },
    `Haven is listening on http://${config.http.host}:${config.http.port}`,
  );

  let shuttingDown = false;
  const shutdown = (signal: string): void => {
    if (shuttingDown) return;
    shuttingDown = true;
    logger.info({ signal }, 'shutting down');
    const deadline = setTimeout(() => {
      logger.warn('shutdown timed out; closing remaining connections');
      for (const socket of sockets) socket.destroy();
      process.exit(1);
    }, config.http.shutdownTimeoutMs);
    deadline.unref();
    // Live-session sockets are long-lived: drop them first (pages reconnect to the next instance).
    void realtime.close();
    // Stop accepting; idle keep-alive connections are closed now, busy ones after their response.
    server.close(() => {
      void haven.close().then(
        () => {
          logger.info('shut down cleanly');
          process.exit(0);
        },
        (error: unknown) => {
          logger.error({ err: error }, 'error while closing');
          process.exit(1);
        },
      );
    });
    server.closeIdleConnections();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(`haven: failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
