import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { FieldCipher } from '../../../server/shared/field-encryption';

describe('FieldCipher', () => {
  const key = randomBytes(32);
  const cipher = new FieldCipher(key);

  it('round-trips Unicode text and never stores the plaintext', () => {
    const text = 'Feeling anxious about work 😟 — ça va mieux';
    const stored = cipher.encrypt(text, 'notes.body');
    assert.ok(!stored.includes('anxious'));
    assert.match(stored, /^hv1\.[A-Za-z0-9_-]+\./);
    assert.equal(cipher.decrypt(stored, 'notes.body'), text);
  });

  it('uses a fresh IV every time', () => {
    assert.notEqual(cipher.encrypt('same', 'c'), cipher.encrypt('same', 'c'));
  });

  it('refuses a value moved to another column (context is authenticated)', () => {
    const stored = cipher.encrypt('secret', 'notes.body');
    assert.throws(() => cipher.decrypt(stored, 'messages.body'), { code: 'crypto.tampered_value' });
  });

  it('refuses a tampered value', () => {
    const stored = cipher.encrypt('secret', 'c');
    const parts = stored.split('.');
    const body = Buffer.from(parts[3]!, 'base64url');
    body[0] = body[0]! ^ 1;
    parts[3] = body.toString('base64url');
    assert.throws(() => cipher.decrypt(parts.join('.'), 'c'), { code: 'crypto.tampered_value' });
  });

  it('rotates keys: old values stay readable with the old key listed, new ones use the new key', () => {
    const oldValue = cipher.encrypt('before rotation', 'c');
    const rotated = new FieldCipher(randomBytes(32), [key]);
    assert.equal(rotated.decrypt(oldValue, 'c'), 'before rotation');
    assert.ok(rotated.needsRotation(oldValue));
    const fresh = rotated.encrypt('after', 'c');
    assert.ok(!rotated.needsRotation(fresh));
    assert.throws(() => cipher.decrypt(fresh, 'c'), { code: 'crypto.unknown_key' });
  });

  it('rejects keys of the wrong size and unencrypted values', () => {
    assert.throws(() => new FieldCipher(randomBytes(16)));
    assert.throws(() => cipher.decrypt('plain text', 'c'), { code: 'crypto.malformed_value' });
  });
});
