import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_PASSWORD_COST, hashPassword, verifyPassword } from '../../src/lib/password-hash.ts';

const cheap = { log2N: 10, r: 8, p: 1 };

test('a password verifies against its hash and nothing else; the hash names its parameters and is salted', async () => {
  const hash = await hashPassword('correct horse battery', cheap);
  assert.match(hash, /^scrypt\$10\$8\$1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
  assert.equal(await verifyPassword('correct horse battery', hash), true);
  assert.equal(await verifyPassword('correct horse batterY', hash), false);
  assert.equal(await verifyPassword('', hash), false);
  assert.notEqual(await hashPassword('correct horse battery', cheap), hash, 'a fresh salt each time');
  // Unicode-equivalent spellings (NFKC) are one password: what a person typed on another keyboard still works.
  const accented = await hashPassword('caf\u00e9 au lait 123', cheap);
  assert.equal(await verifyPassword('cafe\u0301 au lait 123', accented), true);
});

test('a stored hash made with another cost still verifies; a malformed or absurd one is refused, not thrown', async () => {
  const stronger = await hashPassword('another password', { log2N: 12, r: 8, p: 2 });
  assert.equal(await verifyPassword('another password', stronger), true);
  for (const bad of ['', 'plain', 'scrypt$10$8$1$abc', 'bcrypt$10$8$1$AAAA$AAAA', 'scrypt$40$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAA', 'scrypt$0$8$1$AAAA$AAAA']) {
    assert.equal(await verifyPassword('x', bad), false, bad);
  }
  assert.deepEqual(DEFAULT_PASSWORD_COST, { log2N: 15, r: 8, p: 3 });
});
