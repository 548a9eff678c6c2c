import type { Ack, ClientEvent, Result } from '../protocol';
import type { Logger } from '../shared/logger';
import { toAckError } from './ack';
import { CLIENT_EVENTS, type Parsed } from './protocol';
import type { HavenSocket } from './sockets';

/** One request's handler: the parsed payload in, the protocol's result out (or an AppError thrown). */
export type RequestHandler<K extends ClientEvent> = (input: Parsed<K>) => Promise<Result<K>>;

/**
 * Registers the handler for one client event, with everything every event gets: the rate limit
 * (a flood disconnects the socket), exactly one payload and an ack, the payload parsed with the
 * event's schema, and the answer (`{ ok: true, data }`, or the error mapped by `toAckError`).
 * What arrives is untrusted until parsed, so the listener takes raw arguments.
 */
export function onRequest<K extends ClientEvent>(
  socket: HavenSocket,
  event: K,
  logger: Logger,
  handler: RequestHandler<K>,
): void {
  const spec = CLIENT_EVENTS[event];
  const listen = socket.on.bind(socket) as (event: string, listener: (...args: unknown[]) => void) => void;
  listen(event, (...args: unknown[]) => {
    const ack = args[args.length - 1];
    const answer = (reply: Ack<Result<K>>): void => {
      if (typeof ack === 'function') (ack as (reply: Ack<Result<K>>) => void)(reply);
    };
    if (!socket.data.limiter.allow(spec.limit)) {
      answer({ ok: false, error: { code: 'rate_limited', message: 'Too many requests; slow down.' } });
      if (socket.data.limiter.flooding) {
        logger.warn({ userId: socket.data.actor.id, ip: socket.data.ip }, 'socket flooding; disconnected');
        socket.disconnect(true);
      }
      return;
    }
    if (typeof ack !== 'function' || args.length !== 2) {
      answer({
        ok: false,
        error: { code: 'validation.invalid_payload', message: 'Send one payload and an ack.' },
      });
      return;
    }
    void (async () => {
      try {
        const input = spec.schema.parse(args[0]) as Parsed<K>;
        answer({ ok: true, data: await handler(input) });
      } catch (error) {
        answer({ ok: false, error: toAckError(error, logger, event) });
      }
    })();
  });
}
