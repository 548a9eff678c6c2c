import assert from 'node:assert/strict';
import { isCommonPassword, passwordProblem, warmPasswordList } from '../../../server/accounts';
import { createTranslator, problemText } from '../../../server/i18n';

const translator = createTranslator();
/** The problem as an English reader's page writes it. */
function englishProblem(...args: Parameters<typeof passwordProblem>): string | null {
  const problem = passwordProblem(...args);
  return problem ? problemText(translator.fixedT('en'), problem) : null;
}

describe('password policy (NIST SP 800-63B)', () => {
  it('ships a list of more than 100,000 common or breached passwords', () => {
    assert.ok(warmPasswordList().entries >= 100_000);
  });

  it('refuses listed passwords regardless of case', () => {
    assert.equal(isCommonPassword('password1234'), true);
    assert.equal(isCommonPassword('PassWord1234'), true);
    assert.match(englishProblem('iloveyou1234', 12) ?? '', /common or leaked/);
  });

  it('enforces the configured minimum but never below 8, and accepts at least 64 characters', () => {
    assert.match(englishProblem('a'.repeat(6) + 'Ω', 6) ?? '', /at least 8/);
    assert.match(englishProblem('tiny but ok', 12) ?? '', /at least 12/);
    assert.equal(englishProblem('seven words in a quiet row', 12), null);
    assert.equal(
      englishProblem('x'.repeat(30) + ' ünïcödé 🌊 ' + 'y'.repeat(40), 12),
      null,
      'any Unicode, 64+ characters',
    );
    assert.equal(englishProblem('z'.repeat(100) + ' long but fine', 12), null);
    assert.match(englishProblem('z'.repeat(129), 12) ?? '', /at most 128/);
  });

  it('has no composition rules, but refuses the email address itself', () => {
    assert.equal(englishProblem('all lower case words here', 12), null);
    assert.match(englishProblem('someone@example.org', 12, ['someone@example.org']) ?? '', /not your email/);
  });

  it('counts characters, not bytes (emoji and accents are one each)', () => {
    assert.match(englishProblem('🌊🌊🌊🌊🌊🌊🌊', 8) ?? '', /at least 8/);
    assert.equal(englishProblem('🌊🌊🌊🌊🌊🌊🌊🌊', 8), null);
  });

  it("names the problem in the reader's language, with the length it asks for", () => {
    const problem = passwordProblem('tiny but ok', 12);
    assert.ok(problem);
    assert.equal(problemText(translator.fixedT('es'), problem), 'Use al menos 12 caracteres.');
    assert.equal(problemText(translator.fixedT('ar'), problem), 'استخدم ١٢ حرفًا على الأقل.');
  });
});
