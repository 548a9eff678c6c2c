import assert from 'node:assert/strict';
import { keptPerKey } from '../../../server/shared/kept-per-key';

describe('keptPerKey', () => {
  it('builds once per key and gives the same value back', () => {
    const built: string[] = [];
    const upper = keptPerKey(
      8,
      (locale: string, unit: number) => `${unit}|${locale}`,
      (locale: string, unit: number) => {
        built.push(`${locale}/${unit}`);
        return { locale, unit };
      },
    );
    const first = upper('fr', 1);
    assert.equal(upper('fr', 1), first);
    assert.notEqual(upper('fr', 2), first);
    assert.deepEqual(upper('ar', 1), { locale: 'ar', unit: 1 });
    assert.deepEqual(built, ['fr/1', 'fr/2', 'ar/1']);
  });

  it('keeps at most `limit` keys; later keys are built on every call, earlier ones stay', () => {
    let builds = 0;
    const kept = keptPerKey(
      2,
      (key: string) => key,
      (key: string) => ({ key, build: ++builds }),
    );
    const a = kept('a');
    kept('b');
    assert.notEqual(kept('c'), kept('c'), 'a third key is not kept');
    assert.equal(kept('a'), a, 'the first keys stay');
    assert.equal(builds, 4);
  });

  it('keeps a falsy value as well as any other', () => {
    let builds = 0;
    const zero = keptPerKey(
      4,
      (key: string) => key,
      () => (builds++, 0),
    );
    assert.equal(zero('x'), 0);
    assert.equal(zero('x'), 0);
    assert.equal(builds, 1);
  });
});
