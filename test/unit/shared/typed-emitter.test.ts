import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createLogger } from '../../../server/shared/logger';
import { TypedEmitter } from '../../../server/shared/typed-emitter';

class Ticker extends TypedEmitter<{ tick: [number] }> {
  fire(n: number): void {
    this.emit('tick', n);
  }
}

/** A logger whose lines the test can read. */
function recordingLogger(): {
  logger: ReturnType<typeof createLogger>;
  lines: () => Array<Record<string, unknown>>;
} {
  const out: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      out.push(chunk.toString());
      done();
    },
  });
  return {
    logger: createLogger('info', sink),
    lines: () => out.flatMap((chunk) => chunk.split('\n').filter(Boolean)).map((l) => JSON.parse(l)),
  };
}

describe('TypedEmitter', () => {
  it('a once listener hears one event only; on listeners hear all; a throwing one stops nobody', () => {
    const t = new Ticker(recordingLogger().logger);
    const once: number[] = [];
    const all: number[] = [];
    t.on('tick', () => {
      throw new Error('listener trouble');
    });
    t.once('tick', (n) => once.push(n));
    t.on('tick', (n) => all.push(n));
    t.fire(1);
    t.fire(2);
    assert.deepEqual(once, [1]);
    assert.deepEqual(all, [1, 2]);
  });

  it('a listener that throws is logged and reported as listenererror, with the event it was on', () => {
    const { logger, lines } = recordingLogger();
    const t = new Ticker(logger);
    const reported: Array<[string, unknown]> = [];
    t.on('listenererror', (event, error) => reported.push([event, error]));
    t.on('tick', (n) => {
      if (n === 2) throw new Error('no twos');
    });
    t.fire(1);
    t.fire(2);
    assert.equal(reported.length, 1);
    assert.equal(reported[0]?.[0], 'tick');
    assert.equal((reported[0]?.[1] as Error).message, 'no twos');
    const logged = lines().filter((l) => l.msg === 'an event listener failed');
    assert.equal(logged.length, 1);
    assert.equal(logged[0]?.event, 'tick');
    assert.match(String((logged[0]?.err as { message?: string }).message), /no twos/);
  });

  it('a failing listenererror listener is logged too, and nothing escapes to the caller', () => {
    const { logger, lines } = recordingLogger();
    const t = new Ticker(logger);
    t.on('tick', () => {
      throw new Error('first');
    });
    t.on('listenererror', () => {
      throw new Error('second');
    });
    assert.doesNotThrow(() => t.fire(1));
    assert.deepEqual(
      lines().map((l) => l.msg),
      ['an event listener failed', 'a listenererror listener failed'],
    );
  });
});
