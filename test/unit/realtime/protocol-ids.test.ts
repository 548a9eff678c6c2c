import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { CLIENT_EVENTS } from '../../../server/realtime/protocol';

/**
 * Socket payloads are typed at the edge like route parameters: every field that carries an id
 * (`roomId`, `userId`, `peerId`, `threadId`, …) accepts a record id and nothing else, so a malformed
 * id is refused before any handler or query runs (issue 16).
 */
describe('socket protocol: ids are validated as ids', () => {
  const BAD: ReadonlyArray<[string, unknown]> = [
    ['a NUL byte', `${randomUUID().slice(0, 10)}\u0000`],
    ['an over-long value', 'a'.repeat(5_000)],
    ['an array', [randomUUID()]],
    ['an object with a __proto__ key', JSON.parse('{"__proto__":{"polluted":"yes"}}')],
    ['a number', 12],
    ['not an id', 'room-1'],
  ];

  const idFields = Object.entries(CLIENT_EVENTS).flatMap(([event, spec]) =>
    Object.entries((spec.schema as unknown as z.ZodObject).shape)
      .filter(([name]) => /Id$/.test(name))
      .map(([name, schema]) => ({ event, name, schema: schema as z.ZodType })),
  );

  it('finds the id fields of every event that names a room, a person, a thread or a media object', () => {
    const events = new Set(idFields.map((f) => f.event));
    const without = Object.keys(CLIENT_EVENTS).filter((e) => !events.has(e) && e !== 'message:subscribe');
    assert.deepEqual(without, [], 'every event but message:subscribe carries at least one id');
  });

  it('accepts a record id and refuses everything else, in every id field', () => {
    const problems: string[] = [];
    for (const { event, name, schema } of idFields) {
      if (!schema.safeParse(randomUUID()).success) problems.push(`${event}.${name} refuses an id`);
      for (const [what, value] of BAD) {
        if (schema.safeParse(value).success) problems.push(`${event}.${name} accepts ${what}`);
      }
    }
    assert.deepEqual(problems, []);
  });
});
