import assert from 'node:assert/strict';
import { join } from 'node:path';
import ejs from 'ejs';
import { createTranslator, languageOf, type LanguageCode } from '../../../server/i18n';
import { languageViewLocals } from '../../../server/http/middleware/language-locals';
import { roomPage, type RoomPage } from '../../../server/rooms/room-page';
import type { Entry, RoomAccessService } from '../../../server/rooms/room-access.service';
import type { RoomGuestsService } from '../../../server/rooms/guests.service';
import type { Actor } from '../../../server/rooms';
import { VIEWS_DIR } from '../../../server/shared/paths';

const translator = createTranslator();

/** The room's title as the page writes it in `lang` (views/rooms/_with-whom.ejs, used by the layout and the page). */
function heading(page: Pick<RoomPage, 'withWhom'>, lang: LanguageCode, meeting = false): Promise<string> {
  const locals = {
    ...languageViewLocals(translator, lang, languageOf(lang).locale, []),
    withWhom: page.withWhom,
    ...(meeting ? { meeting: { groupId: 'g', name: 'Tuesday group' } } : {}),
  };
  return ejs.renderFile(join(VIEWS_DIR, 'rooms/_with-whom.ejs'), locals);
}

const NAMES: Record<string, string | null> = { t1: 'Dr Rivera', c1: 'Sam', c2: null };

/** The room page of an appointment with therapist t1 and clients c1, c2 (c2 has no display name), as `actor`. */
function pageFor(actor: Actor): Promise<RoomPage> {
  const entry = {
    room: { id: 'room-1', appointmentId: null },
    role: actor.id === 't1' ? 'host' : 'participant',
    participants: { hostId: 't1', clientIds: ['c1', 'c2'] },
    audioOnly: false,
    group: null,
  } as unknown as Entry;
  return roomPage(
    {
      access: { entry: async () => entry } as unknown as RoomAccessService,
      guests: {} as RoomGuestsService,
      people: { displayName: async (id) => NAMES[id] ?? null },
      safetyChecks: null,
    },
    actor,
    'room-1',
    null,
  );
}

const person = (id: string, roles: string[]): Actor =>
  ({ id, roles, displayName: NAMES[id] ?? '' }) as unknown as Actor;

/**
 * Who a session is with (issue 20): the room service hands the page names and parts, never English
 * ("your therapist", " and ", "Client"); the page writes them as a list in its own language.
 */
describe('the room page names the other side in the reader’s language', () => {
  it('the service gives names and parts; a person without a name is null, not an English word', async () => {
    const host = await pageFor(person('t1', ['therapist']));
    assert.deepEqual(host.withWhom, [
      { name: 'Sam', part: 'client' },
      { name: null, part: 'client' },
    ]);
    const client = await pageFor(person('c1', ['client']));
    assert.deepEqual(client.withWhom, [
      { name: 'Dr Rivera', part: 'therapist' },
      { name: null, part: 'client' },
    ]);
  });

  it('the page writes them in Spanish, French, Arabic, Portuguese and English', async () => {
    const host = await pageFor(person('t1', ['therapist']));
    const client = await pageFor(person('c1', ['client']));
    assert.equal(await heading(host, 'es'), 'Sesión con Sam y un cliente');
    assert.equal(await heading(client, 'es'), 'Sesión con Dr Rivera y un cliente');
    assert.equal(await heading(client, 'fr'), 'Séance avec Dr Rivera et un client');
    assert.equal(await heading(client, 'ar'), 'جلسة مع Dr Rivera وعميل');
    assert.equal(await heading(client, 'pt'), 'Sessão com Dr Rivera e um cliente');
    assert.equal(await heading(client, 'en'), 'Session with Dr Rivera and a client');
  });

  it('an unnamed therapist is "your therapist" in the reader’s language; a group meeting is named as one', async () => {
    assert.equal(
      await heading({ withWhom: [{ name: null, part: 'therapist' }] }, 'es'),
      'Sesión con su terapeuta',
    );
    assert.equal(await heading({ withWhom: [] }, 'fr'), 'Séance avec votre thérapeute');
    assert.equal(await heading({ withWhom: [] }, 'es', true), 'Reunión de grupo');
  });
});
