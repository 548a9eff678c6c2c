import type { Ack, ClientEvent, Result } from '../protocol';
import type { Logger } from '../shared/logger';
import { toAckError } from './ack';
import { CLIENT_EVENTS, type Parsed } from './protocol';
import type { HavenSocket } from './sockets';

/** One request's handler: the socket it came on and its parsed payload in, the protocol's result out. */
export type RequestHandler<K extends ClientEvent> = (
  socket: HavenSocket,
  input: Parsed<K>,
) => Promise<Result<K>>;

/** The handlers of the features that are present, by event; built once per server, not per socket. */
export type RequestHandlers = { readonly [K in ClientEvent]?: RequestHandler<K> };

/** The one listener every socket gets (`socket.onAny`); `this` is the socket. */
export type Dispatcher = (this: HavenSocket, event: unknown, ...args: unknown[]) => void;

/**
 * Builds the dispatcher for a handler table. Every event gets the same treatment: the rate limit
 * (a flood disconnects the socket; events no handler knows spend from it too), exactly one payload
 * and an ack, the payload parsed with the event's schema, and the answer (`{ ok: true, data }`, or
 * the error mapped by `toAckError`). What arrives is untrusted until parsed.
 *
 * One shared function instead of a listener per event per socket: an idle socket costs no
 * closures, and adding an event costs nothing per connection.
 */
export function createDispatcher(handlers: RequestHandlers, logger: Logger): Dispatcher {
  return function dispatch(this: HavenSocket, event: unknown, ...args: unknown[]): void {
    if (typeof event !== 'string' || !Object.hasOwn(handlers, event)) {
      if (!this.data.limiter.allow('signal')) refuseFlood(this, logger);
      return;
    }
    const known = event as ClientEvent;
    run(this, known, handlers[known] as RequestHandler<typeof known>, args, logger);
  };
}

function run<K extends ClientEvent>(
  socket: HavenSocket,
  event: K,
  handler: RequestHandler<K>,
  args: unknown[],
  logger: Logger,
): void {
  const spec = CLIENT_EVENTS[event];
  const { t } = socket.data.reader;
  const ack = args[args.length - 1];
  const answer = (reply: Ack<Result<K>>): void => {
    if (typeof ack === 'function') (ack as (reply: Ack<Result<K>>) => void)(reply);
  };
  if (!socket.data.limiter.allow(spec.limit)) {
    answer({ ok: false, error: { code: 'rate_limited', message: t('errors:realtime.slowDown') } });
    refuseFlood(socket, logger);
    return;
  }
  if (typeof ack !== 'function' || args.length !== 2) {
    answer({
      ok: false,
      error: { code: 'validation.invalid_payload', message: t('errors:realtime.onePayload') },
    });
    return;
  }
  void (async () => {
    try {
      const input = spec.schema.parse(args[0]) as Parsed<K>;
      answer({ ok: true, data: await handler(socket, input) });
    } catch (error) {
      answer({ ok: false, error: toAckError(error, socket.data.reader, logger, event) });
    }
  })();
}

/** After too many refusals in a row the socket is not a person: it is disconnected. */
function refuseFlood(socket: HavenSocket, logger: Logger): void {
  if (!socket.data.limiter.flooding) return;
  logger.warn({ userId: socket.data.actor.id, ip: socket.data.ip }, 'socket flooding; disconnected');
  socket.disconnect(true);
}
