import assert from 'node:assert/strict';
import { TypedEmitter } from '../../../server/shared/typed-emitter';

class Ticker extends TypedEmitter<{ tick: [number] }> {
  fire(n: number): void {
    this.emit('tick', n);
  }
}

describe('TypedEmitter', () => {
  it('a once listener hears one event only; on listeners hear all; a throwing one stops nobody', () => {
    const t = new Ticker();
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
});
