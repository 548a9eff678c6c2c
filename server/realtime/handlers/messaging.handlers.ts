import { messagingPolicy, type MessagingEvents, type MessagingFeature } from '../../messaging';
import { AppError, phrase } from '../../shared/errors';
import type { TypedEmitter } from '../../shared/typed-emitter';
import type { HavenIo, HavenSocket } from '../sockets';
import type { RequestHandlers } from '../requests';

/** The socket.io room that reaches every messaging page a person has open. */
export function inboxChannel(userId: string): string {
  return `inbox:${userId}`;
}

/**
 * Messaging over the socket. A messaging page sends `message:subscribe`: from then on the socket
 * receives `message:new`, `message:read` and `message:retracted` for its person's threads, and the
 * person counts as online (so no "new message" email is sent to them). `message:mark-read` moves
 * the read mark when a live message arrives on an open thread. Membership is checked by the
 * service on every call, exactly as for the pages. Built once for the server.
 */
export function messagingHandlers(ctx: { readonly messaging: MessagingFeature }): RequestHandlers {
  return {
    'message:subscribe': async (socket) => {
      // The pages' rule, on the socket too: peer supporters have no place in messaging.
      if (!messagingPolicy.mayUseMessaging(socket.data.actor)) {
        throw new AppError('messaging.forbidden', 'forbidden', phrase('errors:messaging.notAvailable'));
      }
      if (!socket.data.inbox) {
        socket.data.inbox = true;
        ctx.messaging.presence.connected(socket.data.actor.id);
        await socket.join(inboxChannel(socket.data.actor.id));
      }
      return null;
    },
    'message:mark-read': (socket, { threadId }) =>
      ctx.messaging.messages.markRead({ ...socket.data.actor, ip: socket.data.ip }, threadId),
  };
}

/** A subscribed socket going away: its person may now be offline (presence counts sockets). */
export function leaveInboxOnDisconnect(messaging: MessagingFeature, socket: HavenSocket): void {
  if (socket.data.inbox) messaging.presence.disconnected(socket.data.actor.id);
}

/**
 * Where messaging's domain events come from: the service itself on one node; with several nodes, an
 * emitter that also carries the other nodes' events (composition wires that), so a message sent on
 * one node reaches the sockets every node holds.
 */
export type MessagingEventSource = Pick<TypedEmitter<MessagingEvents>, 'on' | 'off'>;

/**
 * Forwards the service's domain events to the members' subscribed sockets. The payload is the
 * event minus its `to` list (nobody learns who else is in a thread from the socket). Returns a
 * function that stops forwarding.
 */
export function forwardMessagingEvents(io: HavenIo, events: MessagingEventSource): () => void {
  const forward =
    <K extends keyof MessagingEvents>(event: K) =>
    (payload: MessagingEvents[K][0]): void => {
      const { to, ...rest } = payload;
      for (const userId of new Set(to)) {
        (io.to(inboxChannel(userId)).emit as (e: string, p: unknown) => boolean)(event, rest);
      }
    };
  const onNew = forward('message:new');
  const onRead = forward('message:read');
  const onRetracted = forward('message:retracted');
  events.on('message:new', onNew);
  events.on('message:read', onRead);
  events.on('message:retracted', onRetracted);
  return () => {
    events.off('message:new', onNew);
    events.off('message:read', onRead);
    events.off('message:retracted', onRetracted);
  };
}
