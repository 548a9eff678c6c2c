import assert from 'node:assert/strict';
import type { ClusterBus } from '../../../server/cluster';
import { PresenceRelay } from '../../../server/cluster';
import { MessagingPresence } from '../../../server/messaging';
import { createLogger } from '../../../server/shared/logger';

/** Buses of several nodes joined in memory: what one publishes, the others hear (at once). */
function memoryBuses(count: number): ClusterBus[] {
  const listeners = Array.from({ length: count }, () => new Map<string, Set<(p: unknown) => void>>());
  return listeners.map((own, index) => ({
    async publish(topic, payload) {
      // JSON, as the real bus carries it: nothing shared by reference.
      const copy = JSON.parse(JSON.stringify(payload)) as unknown;
      listeners.forEach((other, i) => {
        if (i !== index) for (const l of other.get(topic) ?? []) l(copy);
      });
    },
    subscribe(topic, listener) {
      const set = own.get(topic) ?? new Set();
      set.add(listener);
      own.set(topic, set);
      return () => set.delete(listener);
    },
    close: async () => undefined,
  }));
}

describe("PresenceRelay (messaging's online, across nodes)", () => {
  const logger = createLogger('silent');
  let now = 1_000_000;
  const relays: PresenceRelay[] = [];
  afterEach(() => {
    for (const r of relays.splice(0)) r.stop();
  });

  /** A node: its own presence, wired to the others as the composition root does. */
  function node(id: string, bus: ClusterBus): MessagingPresence {
    const presence = new MessagingPresence();
    const relay = new PresenceRelay({
      presence,
      bus,
      topic: 'messaging-presence',
      nodeId: id,
      everyMs: 60_000,
      staleAfterMs: 15_000,
      logger,
      now: () => now,
    });
    presence.lookElsewhere((userId) => relay.isOnlineElsewhere(userId));
    relays.push(relay);
    return presence;
  }

  it('someone online on node B is online for node A, until their last page there closes', () => {
    const [busA, busB] = memoryBuses(2);
    const a = node('a', busA!);
    const b = node('b', busB!);
    b.connected('u1');
    b.connected('u1'); // a second tab
    assert.equal(a.isOnline('u1'), true);
    assert.deepEqual(a.here(), [], 'not online on node A itself');
    assert.equal(a.isOnline('u2'), false, 'nobody else');
    b.disconnected('u1');
    assert.equal(a.isOnline('u1'), true, 'one tab still open on node B');
    b.disconnected('u1');
    assert.equal(a.isOnline('u1'), false);
  });

  it('a node started later learns who is online elsewhere at once (it asks)', () => {
    const [busA, busB] = memoryBuses(2);
    const b = node('b', busB!);
    b.connected('u1');
    const a = node('a', busA!);
    assert.equal(a.isOnline('u1'), true);
  });

  it('a node silent for longer than dead-after counts as having nobody online; a clean stop says so at once', () => {
    const [busA, busB, busC] = memoryBuses(3);
    const a = node('a', busA!);
    const b = node('b', busB!);
    const c = node('c', busC!);
    b.connected('u1');
    c.connected('u2');
    now += 15_000;
    assert.equal(a.isOnline('u1'), true, 'heard from node B 15 s ago: still counts');
    now += 1;
    assert.equal(a.isOnline('u1'), false, 'node B has been silent too long (killed?): its people get emails');
    c.connected('u3'); // node C speaks again: what it said counts anew
    assert.equal(a.isOnline('u2'), true);
    relays[2]!.stop();
    assert.equal(a.isOnline('u2'), false, 'node C stopped cleanly and said so');
    assert.equal(a.isOnline('u3'), false);
  });
});
