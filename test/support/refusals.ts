import assert from 'node:assert/strict';
import { isAppError, type ErrorCode } from '../../server/shared/errors';

/**
 * For `assert.rejects(work, refusal('clinical.note_signed', 'clinical:problem.alreadySigned'))`: the
 * work was refused with this AppError code and, when given, this sentence (the resource key the
 * service named; the transport writes it in the reader's language). A mismatch fails with both.
 */
export function refusal(code: ErrorCode, key?: string): (error: unknown) => true {
  return (error) => {
    assert.ok(isAppError(error), `expected an AppError, got ${String(error)}`);
    assert.deepEqual(
      { code: error.code, ...(key === undefined ? {} : { key: error.phrase?.key }) },
      { code, ...(key === undefined ? {} : { key }) },
    );
    return true;
  };
}
