import { messagingPolicy, type MessagingEvents, type MessagingFeature } from '../../messaging';
import { AppError } from '../../shared/errors';
import type { Logger } from '../../shared/logger';
import type { HavenIo, HavenSocket } from '../sockets';
import { onRequest } from '../requests';

/** The socket.io room that reaches every messaging page a person has open. */
export function inboxChannel(userId: string): string {
  return `inbox:${userId}`;
}

/**
 * Messaging over the socket. A messaging page sends `message:subscribe`: from then on the socket
 * receives `message:new`, `message:read` and `message:retracted` for its person's threads, and the
 * person counts as online (so no "new message" email is sent to them). `message:mark-read` moves
 * the read mark when a live message arrives on an open thread. Membership is checked by the
 * service on every call, exactly as for the pages.
 */
export function registerMessagingHandlers(
  socket: HavenSocket,
  ctx: { readonly messaging: MessagingFeature; readonly logger: Logger },
): void {
  let subscribed = false;

  onRequest(socket, 'message:subscribe', ctx.logger, async () => {
    // The pages' rule, on the socket too: peer supporters have no place in messaging.
    if (!messagingPolicy.mayUseMessaging(socket.data.actor)) {
      throw new AppError('messaging.forbidden', 'forbidden', 'Messaging is not available to you.');
    }
    if (!subscribed) {
      subscribed = true;
      ctx.messaging.presence.connected(socket.data.actor.id);
      await socket.join(inboxChannel(socket.data.actor.id));
    }
    return null;
  });

  onRequest(socket, 'message:mark-read', ctx.logger, ({ threadId }) =>
    ctx.messaging.messages.markRead({ ...socket.data.actor, ip: socket.data.ip }, threadId),
  );

  socket.on('disconnect', () => {
    if (subscribed) ctx.messaging.presence.disconnected(socket.data.actor.id);
  });
}

/**
 * Forwards the service's domain events to the members' subscribed sockets. The payload is the
 * event minus its `to` list (nobody learns who else is in a thread from the socket). Returns a
 * function that stops forwarding.
 */
export function forwardMessagingEvents(io: HavenIo, messaging: MessagingFeature): () => void {
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
  messaging.messages.on('message:new', onNew);
  messaging.messages.on('message:read', onRead);
  messaging.messages.on('message:retracted', onRetracted);
  return () => {
    messaging.messages.off('message:new', onNew);
    messaging.messages.off('message:read', onRead);
    messaging.messages.off('message:retracted', onRetracted);
  };
}
