import assert from 'node:assert/strict';
import { allCodes, EXERCISES, lookupCode, searchCodes } from '../../../server/care-planning';
import { normaliseAnswers } from '../../../server/care-planning/exercises';
import { isAppError } from '../../../server/shared/errors';

describe('ICD-10-CM subset', () => {
  it('holds only chapter F and Z codes, unique, each with a description', () => {
    const codes = allCodes();
    assert.ok(codes.length > 500);
    assert.equal(new Set(codes.map((c) => c.code)).size, codes.length);
    for (const c of codes) {
      assert.match(c.code, /^[FZ][0-9]{2}(\.[0-9A-Z]{1,4})?$/, c.code);
      assert.ok(c.description.length > 3, c.code);
    }
  });

  it('finds a code typed with or without its dot, in any case, and nothing outside the subset', () => {
    assert.equal(lookupCode('F41.1')?.description, 'Generalized anxiety disorder');
    assert.equal(lookupCode('f411')?.code, 'F41.1');
    assert.equal(lookupCode('F32.A')?.description, 'Depression, unspecified');
    assert.equal(lookupCode('F39')?.code, 'F39');
    assert.equal(lookupCode('J20.0'), null, 'not a mental or behavioural code');
    assert.equal(lookupCode('F41.19'), null, 'not a code at all');
  });

  it('searches codes by prefix first, then by every word of the description', () => {
    assert.equal(searchCodes('F43.1')[0]?.code, 'F43.10');
    const ptsd = searchCodes('post-traumatic chronic');
    assert.deepEqual(
      ptsd.map((c) => c.code),
      ['F43.12'],
    );
    assert.ok(searchCodes('partner').some((c) => c.code === 'Z63.0'));
  });
});

describe('exercise answers', () => {
  it('keeps only the exercise’s fields and checks ratings', () => {
    const answers = normaliseAnswers(
      EXERCISES.thought_record,
      { situation: ' Work ', emotionBefore: '80', stray: 'dropped' },
      false,
    );
    assert.deepEqual(answers, { situation: 'Work', emotionBefore: '80' });
    assert.throws(
      () => normaliseAnswers(EXERCISES.thought_record, { emotionBefore: '101' }, false),
      (e: unknown) => isAppError(e) && e.details?.emotionBefore !== undefined,
    );
  });

  it('asks for the required fields (or one log entry) only when marking done', () => {
    assert.throws(
      () => normaliseAnswers(EXERCISES.thought_record, { situation: 'x' }, true),
      (e: unknown) => isAppError(e) && e.details?.balancedThought !== undefined,
    );
    assert.throws(
      () => normaliseAnswers(EXERCISES.activity_log, {}, true),
      (e: unknown) => isAppError(e) && e.details?.['when.0'] !== undefined,
    );
    assert.deepEqual(
      normaliseAnswers(EXERCISES.activity_log, { 'activity.2': 'Walk', 'mood.2': '6' }, true),
      {
        'activity.2': 'Walk',
        'mood.2': '6',
      },
    );
  });
});
