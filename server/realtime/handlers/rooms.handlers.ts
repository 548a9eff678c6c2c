import type { ClientEvent, Payload, Result } from '../../protocol';
import { AppError } from '../../shared/errors';
import type { Logger } from '../../shared/logger';
import type { Actor, RoomsFeature } from '../../rooms';
import type { Parsed } from '../protocol';
import { seatChannel, type HavenIo, type HavenSocket } from '../sockets';
import { onRequest } from '../requests';

/** Which socket holds each person's seat in each room (`roomId:userId` → socket id). */
export type SeatRegistry = Map<string, string>;

interface Context {
  readonly rooms: RoomsFeature;
  readonly seats: SeatRegistry;
  readonly logger: Logger;
}

/** The room events: every payload names its room. */
type RoomEvent = { [K in ClientEvent]: Payload<K> extends { roomId: string } ? K : never }[ClientEvent];
type Handler<K extends RoomEvent> = (input: Parsed<K>, actor: Actor) => Promise<Result<K>>;

const seatKey = (roomId: string, userId: string): string => `${roomId}:${userId}`;

/**
 * The room handlers: each event is rate-limited, its payload parsed with the feature's schema, one
 * service call made, and the ack answered (`onRequest`). Events about a room need this socket to
 * hold the seat there (`room.not_joined`); the service then applies admission and ownership.
 */
export function registerRoomHandlers(io: HavenIo, socket: HavenSocket, ctx: Context): void {
  const { rooms } = ctx;
  const ip = socket.data.ip;

  function on<K extends RoomEvent>(event: K, needsSeat: boolean, handler: Handler<K>): void {
    onRequest(socket, event, ctx.logger, async (input) => {
      if (needsSeat) assertSeat(socket, (input as { roomId: string }).roomId);
      return handler(input, socket.data.actor);
    });
  }

  on('room:join', false, async ({ roomId }, actor) => {
    const result = await rooms.live.join(actor, roomId, ip);
    const key = seatKey(roomId, actor.id);
    const previous = ctx.seats.get(key);
    if (previous && previous !== socket.id) {
      // The same person opened the room elsewhere (another tab, a reload): that one steps aside.
      const old = io.sockets.sockets.get(previous);
      if (old) {
        old.data.rooms.delete(roomId);
        old.leave(seatChannel(roomId, actor.id));
        old.emit('room:replaced', { roomId });
      }
    }
    ctx.seats.set(key, socket.id);
    socket.data.rooms.add(roomId);
    await socket.join(seatChannel(roomId, actor.id));
    return result;
  });

  on('room:leave', true, async ({ roomId }, actor) => {
    release(roomId);
    await rooms.live.leave(actor, roomId, true);
    return null;
  });

  on('room:admit', true, async ({ roomId, userId }, actor) => {
    await rooms.live.admit(actor, roomId, userId, ip);
    return null;
  });
  on('room:admit-all', true, async ({ roomId }, actor) => ({
    admitted: await rooms.live.admitAll(actor, roomId, ip),
  }));
  on('room:deny', true, async ({ roomId, userId }, actor) => {
    await rooms.live.deny(actor, roomId, userId, ip);
    return null;
  });
  on('room:move-to-waiting', true, async ({ roomId, userId }, actor) => {
    await rooms.live.moveToWaiting(actor, roomId, userId, ip);
    return null;
  });
  on('room:end', true, async ({ roomId }, actor) => {
    await rooms.live.end(actor, roomId, ip);
    return null;
  });

  on('media:create-transport', true, ({ roomId, direction }, actor) =>
    rooms.media.createTransport(actor, roomId, direction),
  );
  on('media:connect-transport', true, async ({ roomId, transportId, dtlsParameters }, actor) => {
    await rooms.media.connectTransport(actor, roomId, transportId, dtlsParameters);
    return null;
  });
  on('media:restart-ice', true, ({ roomId, transportId }, actor) =>
    rooms.media.restartIce(actor, roomId, transportId),
  );
  on('media:rebuild', true, ({ roomId }, actor) => rooms.media.rebuild(actor, roomId));
  on('media:produce', true, ({ roomId, ...input }, actor) => rooms.media.produce(actor, roomId, input));
  on('media:consume', true, ({ roomId, producerId, rtpCapabilities }, actor) =>
    rooms.media.consume(actor, roomId, producerId, rtpCapabilities),
  );
  on('media:resume-consumer', true, async ({ roomId, consumerId }, actor) => {
    await rooms.media.resumeConsumer(actor, roomId, consumerId);
    return null;
  });
  on('media:set-consumer-layer', true, async ({ roomId, consumerId, spatialLayer }, actor) => {
    await rooms.media.setConsumerLayer(actor, roomId, consumerId, spatialLayer);
    return null;
  });
  on('media:pause-producer', true, async ({ roomId, producerId, paused }, actor) => {
    await rooms.media.setProducerPaused(actor, roomId, producerId, paused);
    return null;
  });
  on('media:close-producer', true, async ({ roomId, producerId }, actor) => {
    await rooms.media.closeProducer(actor, roomId, producerId);
    return null;
  });
  on('media:audio-only', true, ({ roomId, on: audioOnly }, actor) =>
    rooms.media.setAudioOnly(actor, roomId, audioOnly),
  );
  on('chat:send', true, ({ roomId, text }, actor) => rooms.live.sendChat(actor, roomId, text, ip));
  on('meeting:mute', true, async ({ roomId, peerId, on: muted }, actor) => {
    await rooms.meeting.setMuted(actor, roomId, peerId, muted, ip);
    return null;
  });
  on('meeting:camera-off', true, async ({ roomId, peerId, on: off }, actor) => {
    await rooms.meeting.setCameraOff(actor, roomId, peerId, off, ip);
    return null;
  });
  on('meeting:remove', true, async ({ roomId, peerId, block }, actor) => {
    await rooms.meeting.remove(actor, roomId, peerId, block, ip);
    return null;
  });
  on('meeting:raise-hand', true, async ({ roomId, raised }, actor) => {
    await rooms.meeting.raiseHand(actor, roomId, raised);
    return null;
  });
  on('meeting:report', true, ({ roomId, ...input }, actor) => rooms.meeting.report(actor, roomId, input, ip));

  /** Gives up this socket's seat bookkeeping for a room (the service decides what leaving means). */
  function release(roomId: string): boolean {
    socket.data.rooms.delete(roomId);
    void socket.leave(seatChannel(roomId, socket.data.actor.id));
    const key = seatKey(roomId, socket.data.actor.id);
    if (ctx.seats.get(key) !== socket.id) return false;
    ctx.seats.delete(key);
    return true;
  }

  socket.on('disconnect', () => {
    for (const roomId of [...socket.data.rooms]) {
      if (release(roomId)) {
        rooms.live.leave(socket.data.actor, roomId, false).catch((error: unknown) => {
          ctx.logger.error({ err: error, roomId }, 'leaving a room on disconnect failed');
        });
      }
    }
  });
}

function assertSeat(socket: HavenSocket, roomId: string): void {
  if (!socket.data.rooms.has(roomId)) {
    throw new AppError('room.not_joined', 'forbidden', 'Join the room first.');
  }
}
