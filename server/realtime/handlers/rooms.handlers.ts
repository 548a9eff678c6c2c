import type { ClientEvent, Payload, Result } from '../../protocol';
import { AppError, phrase } from '../../shared/errors';
import type { Logger } from '../../shared/logger';
import type { Actor, RoomsFeature } from '../../rooms';
import type { Parsed } from '../protocol';
import type { RequestHandler, RequestHandlers } from '../requests';
import { seatChannel, type HavenIo, type HavenSocket } from '../sockets';

/** Which socket holds each person's seat in each room (`roomId:userId` → socket id). */
export type SeatRegistry = Map<string, string>;

interface Context {
  readonly io: HavenIo;
  readonly rooms: RoomsFeature;
  readonly seats: SeatRegistry;
  readonly logger: Logger;
}

/** The room events: every payload names its room. */
type RoomEvent = { [K in ClientEvent]: Payload<K> extends { roomId: string } ? K : never }[ClientEvent];
type SeatedHandler<K extends RoomEvent> = (
  input: Parsed<K>,
  actor: Actor,
  ip: string | null,
  socket: HavenSocket,
) => Promise<Result<K>>;

const seatKey = (roomId: string, userId: string): string => `${roomId}:${userId}`;

/**
 * The room handlers, built once for the server: each makes one service call. Events about a room
 * need the socket to hold the seat there (`room.not_joined`); the service then applies admission
 * and ownership. Rate limits, payload parsing and the ack are the dispatcher's.
 */
export function roomHandlers(ctx: Context): RequestHandlers {
  const { rooms } = ctx;
  const seated =
    <K extends RoomEvent>(handler: SeatedHandler<K>): RequestHandler<K> =>
    (socket, input) => {
      assertSeat(socket, (input as { roomId: string }).roomId);
      return handler(input, socket.data.actor, socket.data.ip, socket);
    };
  const done = async (work: Promise<unknown>): Promise<null> => {
    await work;
    return null;
  };

  return {
    'room:join': async (socket, { roomId }) => {
      const actor = socket.data.actor;
      const result = await rooms.live.join(actor, roomId, socket.data.ip);
      const key = seatKey(roomId, actor.id);
      const previous = ctx.seats.get(key);
      if (previous && previous !== socket.id) {
        // The same person opened the room elsewhere (another tab, a reload): that one steps aside.
        const old = ctx.io.sockets.sockets.get(previous);
        if (old) {
          old.data.rooms.delete(roomId);
          void old.leave(seatChannel(roomId, actor.id));
          old.emit('room:replaced', { roomId });
        }
      }
      ctx.seats.set(key, socket.id);
      socket.data.rooms.add(roomId);
      await socket.join(seatChannel(roomId, actor.id));
      return result;
    },
    'room:leave': seated(async ({ roomId }, actor, _ip, socket) => {
      release(ctx.seats, socket, roomId);
      return done(rooms.live.leave(actor, roomId, true));
    }),
    'room:admit': seated(({ roomId, userId }, actor, ip) =>
      done(rooms.live.admit(actor, roomId, userId, ip)),
    ),
    'room:admit-all': seated(async ({ roomId }, actor, ip) => ({
      admitted: await rooms.live.admitAll(actor, roomId, ip),
    })),
    'room:deny': seated(({ roomId, userId }, actor, ip) => done(rooms.live.deny(actor, roomId, userId, ip))),
    'room:move-to-waiting': seated(({ roomId, userId }, actor, ip) =>
      done(rooms.live.moveToWaiting(actor, roomId, userId, ip)),
    ),
    'room:end': seated(({ roomId }, actor, ip) => done(rooms.live.end(actor, roomId, ip))),
    'room:ask-guest-removal': seated(({ roomId, userId }, actor, ip) =>
      done(rooms.live.askGuestRemoval(actor, roomId, userId, ip)),
    ),
    'room:remove-guest': seated(({ roomId, userId }, actor, ip) =>
      done(rooms.live.removeGuest(actor, roomId, userId, ip)),
    ),

    'media:create-transport': seated(({ roomId, direction }, actor) =>
      rooms.media.createTransport(actor, roomId, direction),
    ),
    'media:connect-transport': seated(({ roomId, transportId, dtlsParameters }, actor) =>
      done(rooms.media.connectTransport(actor, roomId, transportId, dtlsParameters)),
    ),
    'media:warm-up': seated(({ roomId, rtpCapabilities }, actor) =>
      rooms.media.warmUp(actor, roomId, rtpCapabilities ?? null),
    ),
    'media:ice-servers': seated(({ roomId }, actor) => rooms.media.iceServers(actor, roomId)),
    'media:restart-ice': seated(({ roomId, transportId }, actor) =>
      rooms.media.restartIce(actor, roomId, transportId),
    ),
    'media:rebuild': seated(({ roomId }, actor) => rooms.media.rebuild(actor, roomId)),
    'media:produce': seated(({ roomId, ...input }, actor) => rooms.media.produce(actor, roomId, input)),
    'media:consume': seated(({ roomId, producerId, rtpCapabilities }, actor) =>
      rooms.media.consume(actor, roomId, producerId, rtpCapabilities),
    ),
    'media:resume-consumer': seated(({ roomId, consumerId }, actor) =>
      done(rooms.media.resumeConsumer(actor, roomId, consumerId)),
    ),
    'media:set-consumer-layer': seated(({ roomId, consumerId, spatialLayer }, actor) =>
      done(rooms.media.setConsumerLayer(actor, roomId, consumerId, spatialLayer)),
    ),
    'media:pause-producer': seated(({ roomId, producerId, paused }, actor) =>
      done(rooms.media.setProducerPaused(actor, roomId, producerId, paused)),
    ),
    'media:close-producer': seated(({ roomId, producerId }, actor) =>
      done(rooms.media.closeProducer(actor, roomId, producerId)),
    ),
    'media:audio-only': seated(({ roomId, on: audioOnly }, actor) =>
      rooms.media.setAudioOnly(actor, roomId, audioOnly),
    ),
    'chat:send': seated(({ roomId, text }, actor, ip) => rooms.live.sendChat(actor, roomId, text, ip)),
    'meeting:mute': seated(({ roomId, peerId, on: muted }, actor, ip) =>
      done(rooms.meeting.setMuted(actor, roomId, peerId, muted, ip)),
    ),
    'meeting:camera-off': seated(({ roomId, peerId, on: off }, actor, ip) =>
      done(rooms.meeting.setCameraOff(actor, roomId, peerId, off, ip)),
    ),
    'meeting:remove': seated(({ roomId, peerId, block }, actor, ip) =>
      done(rooms.meeting.remove(actor, roomId, peerId, block, ip)),
    ),
    'meeting:raise-hand': seated(({ roomId, raised }, actor) =>
      done(rooms.meeting.raiseHand(actor, roomId, raised)),
    ),
    'meeting:report': seated(({ roomId, ...input }, actor, ip) =>
      rooms.meeting.report(actor, roomId, input, ip),
    ),
    'e2ee:announce': seated(({ roomId, publicKey }, actor) =>
      done(rooms.e2ee.announce(actor, roomId, publicKey)),
    ),
    'e2ee:sender-key': seated(async ({ roomId, ...input }, actor) => {
      rooms.e2ee.senderKey(actor, roomId, input);
      return null;
    }),
  };
}

/**
 * When a socket goes away, the rooms it held the seat in are left (the service decides what leaving
 * means: a client in a session stays admitted for a while, to reconnect).
 */
export function leaveRoomsOnDisconnect(ctx: Context, socket: HavenSocket): void {
  for (const roomId of [...socket.data.rooms]) {
    if (release(ctx.seats, socket, roomId)) {
      ctx.rooms.live.leave(socket.data.actor, roomId, false).catch((error: unknown) => {
        ctx.logger.error({ err: error, roomId }, 'leaving a room on disconnect failed');
      });
    }
  }
}

/** Gives up this socket's seat bookkeeping for a room; true if it held the seat. */
function release(seats: SeatRegistry, socket: HavenSocket, roomId: string): boolean {
  socket.data.rooms.delete(roomId);
  void socket.leave(seatChannel(roomId, socket.data.actor.id));
  const key = seatKey(roomId, socket.data.actor.id);
  if (seats.get(key) !== socket.id) return false;
  seats.delete(key);
  return true;
}

function assertSeat(socket: HavenSocket, roomId: string): void {
  if (!socket.data.rooms.has(roomId)) {
    throw new AppError('room.not_joined', 'forbidden', phrase('errors:room.joinFirst'));
  }
}
