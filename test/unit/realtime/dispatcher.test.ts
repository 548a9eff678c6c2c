import assert from 'node:assert/strict';
import { createDispatcher, type RequestHandlers } from '../../../server/realtime/requests';
import { FLOOD_DISCONNECT_AFTER, SocketLimiter } from '../../../server/realtime/rate-limit';
import type { HavenSocket } from '../../../server/realtime/sockets';
import { createTranslator, type LanguageCode } from '../../../server/i18n';
import { AppError, phrase } from '../../../server/shared/errors';
import { createLogger } from '../../../server/shared/logger';

const THREAD = '0b6a9a4e-3f0e-4c1e-9d3e-2f4f5a6b7c8d';

const translator = createTranslator();

/** The little of a socket the dispatcher touches; its person reads `lang`. */
function fakeSocket(lang: LanguageCode = 'en'): HavenSocket & { disconnected: boolean } {
  const socket = {
    disconnected: false,
    data: {
      actor: { id: 'u1', displayName: 'A', roles: ['client'] },
      reader: { t: translator.fixedT(lang), english: lang === 'en' },
      ip: null,
      limiter: new SocketLimiter(),
    },
    disconnect() {
      socket.disconnected = true;
    },
  };
  return socket as unknown as HavenSocket & { disconnected: boolean };
}

function ackOf(): { ack: (reply: unknown) => void; reply: Promise<unknown> } {
  let ack!: (reply: unknown) => void;
  const reply = new Promise<unknown>((resolve) => (ack = resolve));
  return { ack, reply };
}

describe('realtime: one dispatcher for every socket', () => {
  const logger = createLogger('silent');
  const seen: string[] = [];
  const handlers: RequestHandlers = {
    'message:mark-read': async (socket, { threadId }) => {
      seen.push(`${socket.data.actor.id}:${threadId}`);
      return { seq: 7, othersRead: 3 };
    },
    'message:subscribe': async () => {
      throw new AppError('messaging.forbidden', 'forbidden', phrase('errors:messaging.notAvailable'));
    },
    'room:leave': async () => {
      throw new AppError('room.full', 'forbidden', 'An old English refusal.');
    },
  };
  const dispatch = createDispatcher(handlers, logger);

  it('hands the parsed payload and the socket it came on to the event’s handler, and acks its result', async () => {
    const socket = fakeSocket();
    const { ack, reply } = ackOf();
    dispatch.call(socket, 'message:mark-read', { threadId: THREAD }, ack);
    assert.deepEqual(await reply, { ok: true, data: { seq: 7, othersRead: 3 } });
    assert.deepEqual(seen, [`u1:${THREAD}`]);
  });

  it('answers a refusal with its code, and a malformed payload without calling the handler', async () => {
    const socket = fakeSocket();
    const refused = ackOf();
    dispatch.call(socket, 'message:subscribe', {}, refused.ack);
    assert.deepEqual(await refused.reply, {
      ok: false,
      error: { code: 'messaging.forbidden', message: 'Messaging is not available to you.' },
    });
    const malformed = ackOf();
    const before = seen.length;
    dispatch.call(socket, 'message:mark-read', { threadId: 'not-an-id' }, malformed.ack);
    assert.equal(
      ((await malformed.reply) as { error: { code: string } }).error.code,
      'validation.invalid_payload',
    );
    assert.equal(seen.length, before);
  });

  it("writes a refusal in the socket's reader's language; an English-only sentence reaches only English readers", async () => {
    const arabic = ackOf();
    dispatch.call(fakeSocket('ar'), 'message:subscribe', {}, arabic.ack);
    assert.deepEqual(await arabic.reply, {
      ok: false,
      error: { code: 'messaging.forbidden', message: 'المراسلة غير متاحة لك.' },
    });
    const old = ackOf();
    dispatch.call(fakeSocket('en'), 'room:leave', { roomId: THREAD }, old.ack);
    assert.equal(
      ((await old.reply) as { error: { message: string } }).error.message,
      'An old English refusal.',
    );
    const oldFrench = ackOf();
    dispatch.call(fakeSocket('fr'), 'room:leave', { roomId: THREAD }, oldFrench.ack);
    assert.deepEqual(await oldFrench.reply, {
      ok: false,
      error: { code: 'room.full', message: 'Cela a été refusé.' },
    });
    const extra = ackOf();
    dispatch.call(fakeSocket('es'), 'message:mark-read', { threadId: THREAD }, 'extra', extra.ack);
    assert.equal(
      ((await extra.reply) as { error: { message: string } }).error.message,
      'Envíe un solo contenido y una confirmación.',
    );
  });

  it('insists on one payload and an ack', async () => {
    const { ack, reply } = ackOf();
    dispatch.call(fakeSocket(), 'message:mark-read', { threadId: THREAD }, 'extra', ack);
    assert.equal(((await reply) as { error: { code: string } }).error.code, 'validation.invalid_payload');
  });

  it('ignores events no feature handles, but they spend from the rate limit: a flood of them disconnects', () => {
    const socket = fakeSocket();
    dispatch.call(socket, 'room:join', { roomId: THREAD }, () => assert.fail('no rooms handler here'));
    assert.equal(socket.disconnected, false);
    for (let i = 0; i < 60 + FLOOD_DISCONNECT_AFTER; i += 1) dispatch.call(socket, 'no:such-event', {});
    assert.equal(socket.disconnected, true);
  });
});
