import assert from 'node:assert/strict';
import { isCommonPassword, passwordProblem, warmPasswordList } from '../../../server/accounts';

describe('password policy (NIST SP 800-63B)', () => {
  it('ships a list of more than 100,000 common or breached passwords', () => {
    assert.ok(warmPasswordList().entries >= 100_000);
  });

  it('refuses listed passwords regardless of case', () => {
    assert.equal(isCommonPassword('password1234'), true);
    assert.equal(isCommonPassword('PassWord1234'), true);
    assert.match(passwordProblem('iloveyou1234', 12) ?? '', /common or leaked/);
  });

  it('enforces the configured minimum but never below 8, and accepts at least 64 characters', () => {
    assert.match(passwordProblem('a'.repeat(6) + 'Ω', 6) ?? '', /at least 8/);
    assert.match(passwordProblem('tiny but ok', 12) ?? '', /at least 12/);
    assert.equal(passwordProblem('seven words in a quiet row', 12), null);
    assert.equal(
      passwordProblem('x'.repeat(30) + ' ünïcödé 🌊 ' + 'y'.repeat(40), 12),
      null,
      'any Unicode, 64+ characters',
    );
    assert.equal(passwordProblem('z'.repeat(100) + ' long but fine', 12), null);
    assert.match(passwordProblem('z'.repeat(129), 12) ?? '', /at most 128/);
  });

  it('has no composition rules, but refuses the email address itself', () => {
    assert.equal(passwordProblem('all lower case words here', 12), null);
    assert.match(passwordProblem('someone@example.org', 12, ['someone@example.org']) ?? '', /not your email/);
  });

  it('counts characters, not bytes (emoji and accents are one each)', () => {
    assert.match(passwordProblem('🌊🌊🌊🌊🌊🌊🌊', 8) ?? '', /at least 8/);
    assert.equal(passwordProblem('🌊🌊🌊🌊🌊🌊🌊🌊', 8), null);
  });
});
