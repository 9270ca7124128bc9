import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  decryptFi,
  deriveFiSessionKey,
  encryptFi,
  FiCryptoError,
  fiPrivateKeyFromRaw,
  generateFiKeyPair,
  parseFiPublicKey,
  unwrapFiDocument,
  type FiCryptoErrorCode,
  type FiCurve,
  type FiKeyMaterial,
  type FiKeyPair,
} from '../../src/aa/fi-crypto.ts';
import { km, V1, V2 } from './fi-vectors.ts';

const NOW = new Date('2026-12-03T10:00:00.000Z');
const b64 = (hex: string) => Buffer.from(hex, 'hex').toString('base64');
const spkiB64 = (key: KeyObject) => key.export({ type: 'spki', format: 'der' }).toString('base64');
/** A deterministic random source for reproducible key pairs. */
const seeded = (seed: string) => {
  let counter = 0;
  return (size: number) => {
    const out = Buffer.alloc(size);
    for (let off = 0; off < size; off += 32) createHash('sha256').update(`${seed}/${counter++}`).digest().copy(out, off);
    return out;
  };
};
const throwsCode = (fn: () => unknown, ...codes: FiCryptoErrorCode[]) =>
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof FiCryptoError, `expected FiCryptoError, got ${String(e)}`);
    assert.ok(codes.includes(e.code), `expected ${codes.join('|')}, got ${e.code}: ${e.message}`);
    return true;
  });

// ---- aa.md §5.5 V1 (test/aa/fi-vectors.ts): form (a), ProjectEKA HIU DecryptorTest -------------

test('V1 (Curve25519, X.509 SPKI): Z, K, iv, decrypt, and encrypt to the same bytes', () => {
  const priv = fiPrivateKeyFromRaw('Curve25519', Buffer.from(V1.receiverPrivate, 'base64'));
  const theirs = km(V1.senderSpki, V1.senderNonce);
  const s = deriveFiSessionKey(priv, V1.receiverNonce, theirs);
  assert.equal(s.sharedSecret.toString('hex'), V1.z);
  assert.equal(s.key.toString('hex'), V1.k);
  assert.equal(s.iv.toString('hex'), V1.iv);
  const plain = decryptFi(V1.ciphertext, priv, V1.receiverNonce, theirs);
  assert.equal(plain.length, 18);
  assert.equal(plain.toString('utf8'), V1.plaintext);
  // Both sides derive the same key and iv, so the receiver's encryption reproduces the sender's bytes.
  assert.equal(encryptFi(V1.plaintext, priv, V1.receiverNonce, theirs), V1.ciphertext);
  // The sender's key in the PEM armour Rahasya emits, and with MIME line breaks.
  const pem = `-----BEGIN PUBLIC KEY-----${V1.senderSpki}-----END PUBLIC KEY-----`;
  assert.equal(decryptFi(V1.ciphertext, priv, V1.receiverNonce, km(pem, V1.senderNonce)).toString(), V1.plaintext);
  const wrapped = `-----BEGIN PUBLIC KEY-----\n${V1.senderSpki.replace(/(.{64})/g, '$1\n')}\n-----END PUBLIC KEY-----\n`;
  assert.equal(decryptFi(V1.ciphertext, priv, V1.receiverNonce, km(wrapped, V1.senderNonce)).toString(), V1.plaintext);
});

// ---- aa.md §5.5 V2 (test/aa/fi-vectors.ts): form (b), RFC 7748 §6.1 keys with Rahasya's Node sample nonces

test('V2 (X25519): Z, K, iv, encrypt to the published bytes, decrypt from either side and key form', () => {
  const alice = fiPrivateKeyFromRaw('X25519', Buffer.from(V2.alicePrivate, 'hex'));
  const bob = fiPrivateKeyFromRaw('X25519', Buffer.from(V2.bobPrivate, 'hex'));
  assert.equal(createPublicKey(alice).export({ type: 'spki', format: 'der' }).subarray(12).toString('hex'), V2.alicePublic);
  for (const keyValue of [V2.bobSpki, `-----BEGIN PUBLIC KEY-----\n${V2.bobSpki}\n-----END PUBLIC KEY-----\n`, V2.bobPublic, b64(V2.bobPublic),
    JSON.stringify({ kty: 'OKP', crv: 'X25519', x: Buffer.from(V2.bobPublic, 'hex').toString('base64url') })]) {
    const theirs = km(keyValue, V2.peerNonce, 'X25519');
    const s = deriveFiSessionKey(alice, V2.ownNonce, theirs);
    assert.equal(s.sharedSecret.toString('hex'), V2.z, keyValue);
    assert.equal(s.key.toString('hex'), V2.k);
    assert.equal(s.iv.toString('hex'), V2.iv);
    assert.equal(encryptFi(V2.plaintext, alice, V2.ownNonce, theirs), V2.ciphertext);
    assert.equal(decryptFi(V2.ciphertext, alice, V2.ownNonce, theirs).toString(), V2.plaintext);
  }
  // Bob, with Alice's key and the nonces swapped, reads the same ciphertext.
  const fromBob = decryptFi(V2.ciphertext, bob, V2.peerNonce, km(V2.alicePublic, V2.ownNonce, 'X25519'));
  assert.equal(fromBob.toString(), V2.plaintext);
  // Rahasya's own X25519 KeyMaterial shape: cryptoAlg "X25519", empty curve.
  const rahasya = { ...km(V2.bobSpki, V2.peerNonce, ''), cryptoAlg: 'X25519' };
  assert.equal(decryptFi(V2.ciphertext, alice, V2.ownNonce, rahasya).toString(), V2.plaintext);
});

test('generateFiKeyPair: the /FI/request KeyMaterial, expiry from the injected clock, reproducible with injected randomness', () => {
  const kp = generateFiKeyPair(NOW);
  assert.deepEqual(Object.keys(kp.keyMaterial).sort(), ['DHPublicKey', 'Nonce', 'cryptoAlg', 'curve', 'params']);
  assert.equal(kp.keyMaterial.cryptoAlg, 'ECDH');
  assert.equal(kp.keyMaterial.curve, 'Curve25519');
  assert.equal(kp.curve, 'Curve25519');
  assert.equal(kp.keyMaterial.DHPublicKey.expiry, '2026-12-04T10:00:00.000Z');
  assert.equal(typeof kp.keyMaterial.DHPublicKey.Parameters, 'string');
  const kv = kp.keyMaterial.DHPublicKey.KeyValue;
  assert.match(kv, /^-----BEGIN PUBLIC KEY-----MIIBMTCB6gYHKoZIzj0CATCB3gIBATArBgcqhkjOPQEBAiB\/{8}[A-Za-z0-9+/=]+-----END PUBLIC KEY-----$/);
  assert.equal(Buffer.from(kv.slice(26, -24), 'base64').length, 309);
  // Same explicit parameters as the published sender key: everything but the point.
  assert.equal(kv.slice(26, 26 + 324), V1.senderSpki.slice(0, 324));
  assert.equal(Buffer.from(kp.keyMaterial.Nonce, 'base64').length, 32);
  assert.equal(kp.nonce, kp.keyMaterial.Nonce);
  assert.equal(parseFiPublicKey(kv).curve, 'Curve25519');

  const a = generateFiKeyPair(NOW, { random: seeded('x') });
  const b = generateFiKeyPair(NOW, { random: seeded('x') });
  assert.deepEqual(a.keyMaterial, b.keyMaterial);
  assert.notDeepEqual(generateFiKeyPair(NOW, { random: seeded('y') }).keyMaterial, a.keyMaterial);
  assert.equal(generateFiKeyPair(NOW, { validityMs: 60_000 }).keyMaterial.DHPublicKey.expiry, '2026-12-03T10:01:00.000Z');

  const x = generateFiKeyPair(NOW, { curve: 'X25519', random: seeded('x') });
  assert.equal(x.keyMaterial.curve, 'X25519');
  assert.match(x.keyMaterial.DHPublicKey.KeyValue, /^-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VuAyEA/);
  assert.equal(parseFiPublicKey(x.keyMaterial.DHPublicKey.KeyValue).curve, 'X25519');
  assert.throws(() => generateFiKeyPair(new Date('nope')), TypeError);
});

/** The same key material with its KeyValue rewritten into another accepted form. */
function reform(pair: FiKeyPair, form: string): FiKeyMaterial {
  const spki = spkiB64(createPublicKey(pair.privateKey));
  const raw = Buffer.from(spki, 'base64').subarray(12);
  const keyValue = {
    pem: `-----BEGIN PUBLIC KEY-----\n${spki.replace(/(.{64})/g, '$1\n')}\n-----END PUBLIC KEY-----`,
    pemOneLine: `-----BEGIN PUBLIC KEY-----${spki}-----END PUBLIC KEY-----`,
    base64: spki,
    hex: raw.toString('hex'),
    raw64: raw.toString('base64'),
    jwk: JSON.stringify({ kty: 'OKP', crv: 'X25519', x: raw.toString('base64url') }),
    as: pair.keyMaterial.DHPublicKey.KeyValue,
  }[form];
  assert.ok(keyValue !== undefined, form);
  return { ...pair.keyMaterial, DHPublicKey: { ...pair.keyMaterial.DHPublicKey, KeyValue: keyValue } };
}

const FORMS: Record<FiCurve, string[]> = {
  Curve25519: ['as', 'pem', 'pemOneLine', 'base64'],
  X25519: ['as', 'pem', 'pemOneLine', 'base64', 'hex', 'raw64', 'jwk'],
};

test('round trip in each curve and key form, FIP encrypting to the FIU and back', () => {
  const doc = Buffer.from('<Account xmlns="http://api.rebit.org.in/FISchema/deposit" type="deposit">…₹ 1,00,000</Account>');
  for (const curve of ['Curve25519', 'X25519'] as const) {
    const fiu = generateFiKeyPair(NOW, { curve });
    const fip = generateFiKeyPair(NOW, { curve });
    for (const form of FORMS[curve]) {
      const sealed = encryptFi(doc, fip.privateKey, fip.nonce, reform(fiu, form));
      assert.deepEqual(decryptFi(sealed, fiu.privateKey, fiu.nonce, reform(fip, form)), doc, `${curve} ${form}`);
      // and the FIU can encrypt to the FIP (the sandbox's other direction), nonce as bytes
      const back = encryptFi('{"a":1}', fiu.privateKey, Buffer.from(fiu.nonce, 'base64'), reform(fip, form));
      assert.equal(decryptFi(back, fip.privateKey, fip.nonce, reform(fiu, form)).toString(), '{"a":1}');
    }
    // Empty plaintext is 16 bytes of tag and still authenticated.
    const empty = encryptFi(Buffer.alloc(0), fip.privateKey, fip.nonce, fiu.keyMaterial);
    assert.equal(Buffer.from(empty, 'base64').length, 16);
    assert.equal(decryptFi(empty, fiu.privateKey, fiu.nonce, fip.keyMaterial).length, 0);
  }
});

test('tampered ciphertext, tag or nonce, and a wrong key, fail authentication', () => {
  for (const curve of ['Curve25519', 'X25519'] as const) {
    const fiu = generateFiKeyPair(NOW, { curve });
    const fip = generateFiKeyPair(NOW, { curve });
    const sealed = Buffer.from(encryptFi('<Account/> with some body', fip.privateKey, fip.nonce, fiu.keyMaterial), 'base64');
    const flip = (i: number) => {
      const c = Buffer.from(sealed);
      c[i] = c[i]! ^ 0x01;
      return c.toString('base64');
    };
    throwsCode(() => decryptFi(flip(0), fiu.privateKey, fiu.nonce, fip.keyMaterial), 'AUTHENTICATION_FAILED'); // ciphertext
    throwsCode(() => decryptFi(flip(sealed.length - 1), fiu.privateKey, fiu.nonce, fip.keyMaterial), 'AUTHENTICATION_FAILED'); // tag
    const ok = sealed.toString('base64');
    const otherNonce = (n: string) => {
      const b = Buffer.from(n, 'base64');
      b[31] = b[31]! ^ 0x80; // lands in the iv
      return b.toString('base64');
    };
    const saltNonce = (n: string) => {
      const b = Buffer.from(n, 'base64');
      b[0] = b[0]! ^ 0x80; // lands in the HKDF salt
      return b.toString('base64');
    };
    throwsCode(() => decryptFi(ok, fiu.privateKey, otherNonce(fiu.nonce), fip.keyMaterial), 'AUTHENTICATION_FAILED');
    throwsCode(() => decryptFi(ok, fiu.privateKey, saltNonce(fiu.nonce), fip.keyMaterial), 'AUTHENTICATION_FAILED');
    throwsCode(() => decryptFi(ok, fiu.privateKey, fiu.nonce, { ...fip.keyMaterial, Nonce: otherNonce(fip.nonce) }), 'AUTHENTICATION_FAILED');
    const stranger = generateFiKeyPair(NOW, { curve });
    throwsCode(() => decryptFi(ok, stranger.privateKey, fiu.nonce, fip.keyMaterial), 'AUTHENTICATION_FAILED');
    // truncated: tag cut short, or shorter than a tag
    throwsCode(() => decryptFi(sealed.subarray(0, sealed.length - 1).toString('base64'), fiu.privateKey, fiu.nonce, fip.keyMaterial), 'AUTHENTICATION_FAILED');
    throwsCode(() => decryptFi(sealed.subarray(0, 15).toString('base64'), fiu.privateKey, fiu.nonce, fip.keyMaterial), 'CIPHERTEXT_TOO_SHORT');
    throwsCode(() => decryptFi('', fiu.privateKey, fiu.nonce, fip.keyMaterial), 'CIPHERTEXT_TOO_SHORT');
  }
});

test('bad input is rejected with a typed error, never decrypted to garbage', () => {
  const fiu = generateFiKeyPair(NOW);
  const fip = generateFiKeyPair(NOW);
  const x = generateFiKeyPair(NOW, { curve: 'X25519' });
  const sealed = encryptFi('<a/>', fip.privateKey, fip.nonce, fiu.keyMaterial);
  const dec = (e: string, theirs: FiKeyMaterial = fip.keyMaterial, nonce: string = fiu.nonce, ours = fiu.privateKey) => () =>
    decryptFi(e, ours, nonce, theirs);
  const withKey = (keyValue: string, base = fip.keyMaterial) => ({ ...base, DHPublicKey: { ...base.DHPublicKey, KeyValue: keyValue } });

  // base64
  throwsCode(dec('not base64!'), 'INVALID_BASE64');
  throwsCode(dec(sealed.slice(0, -2) + '*' + sealed.slice(-1)), 'INVALID_BASE64');
  throwsCode(dec('QUJD=E'), 'INVALID_BASE64');
  throwsCode(dec('QUJDR'), 'INVALID_BASE64'); // length ≡ 1 mod 4
  throwsCode(dec('QUJDRB=='), 'INVALID_BASE64'); // non-canonical trailing bits
  throwsCode(dec(sealed, withKey('-----BEGIN PUBLIC KEY-----%%%%-----END PUBLIC KEY-----')), 'INVALID_BASE64');
  assert.equal(decryptFi(sealed.replace(/(.{20})/g, '$1\r\n'), fiu.privateKey, fiu.nonce, fip.keyMaterial).toString(), '<a/>'); // MIME breaks are fine

  // key lengths and validity
  const spki = Buffer.from(spkiB64(createPublicKey(fip.privateKey)), 'base64');
  throwsCode(dec(sealed, withKey(spki.subarray(0, 308).toString('base64'))), 'INVALID_KEY_LENGTH');
  throwsCode(dec(sealed, withKey(Buffer.concat([spki, Buffer.from([0])]).toString('base64'))), 'INVALID_KEY_LENGTH');
  throwsCode(dec(sealed, withKey(Buffer.alloc(33, 7).toString('base64'))), 'INVALID_KEY_LENGTH');
  throwsCode(dec(sealed, withKey('ab'.repeat(31))), 'INVALID_BASE64', 'INVALID_KEY_LENGTH'); // 62 hex digits: neither hex key nor canonical base64
  throwsCode(dec(sealed, withKey(Buffer.alloc(31, 9).toString('base64'), x.keyMaterial)), 'INVALID_KEY_LENGTH');
  const xSpki = Buffer.from(spkiB64(createPublicKey(x.privateKey)), 'base64');
  throwsCode(dec(sealed, withKey(xSpki.subarray(0, 43).toString('base64'))), 'INVALID_KEY_LENGTH');
  const offCurve = Buffer.from(spki);
  offCurve[300] = offCurve[300]! ^ 1;
  throwsCode(dec(sealed, withKey(offCurve.toString('base64'))), 'INVALID_KEY');
  const otherDomain = Buffer.from(spki);
  otherDomain[60] = otherDomain[60]! ^ 1; // inside the curve's `a`
  throwsCode(dec(sealed, withKey(otherDomain.toString('base64'))), 'INVALID_KEY_LENGTH', 'INVALID_KEY');
  throwsCode(dec(sealed, withKey('{"kty":"EC","crv":"P-256","x":"AA","y":"AA"}')), 'INVALID_KEY');
  throwsCode(() => fiPrivateKeyFromRaw('Curve25519', Buffer.alloc(31, 1)), 'INVALID_KEY_LENGTH');
  throwsCode(() => fiPrivateKeyFromRaw('Curve25519', Buffer.alloc(32, 0)), 'INVALID_KEY');
  throwsCode(() => fiPrivateKeyFromRaw('Curve25519', Buffer.alloc(32, 0xff)), 'INVALID_KEY'); // ≥ n
  // a low-order X25519 point gives an all-zero secret
  throwsCode(() => encryptFi('x', x.privateKey, x.nonce, withKey('00'.repeat(32), x.keyMaterial)), 'KEY_AGREEMENT_FAILED');

  // curves must match
  throwsCode(dec(sealed, x.keyMaterial), 'CURVE_MISMATCH');
  throwsCode(() => encryptFi('x', x.privateKey, x.nonce, fiu.keyMaterial), 'CURVE_MISMATCH');

  // nonces: 32 bytes each; the spec's UUID example is not one
  throwsCode(dec(sealed, fip.keyMaterial, Buffer.alloc(16).toString('base64')), 'INVALID_NONCE');
  throwsCode(dec(sealed, { ...fip.keyMaterial, Nonce: Buffer.alloc(33).toString('base64') }), 'INVALID_NONCE');
  throwsCode(dec(sealed, { ...fip.keyMaterial, Nonce: '123e4567-e89b-12d3-a456-426614174000' }), 'INVALID_BASE64', 'INVALID_NONCE');

  // KeyMaterial fields
  throwsCode(dec(sealed, { ...fip.keyMaterial, cryptoAlg: 'RSA' }), 'INVALID_KEY_MATERIAL');
  throwsCode(dec(sealed, { ...fip.keyMaterial, curve: 'P-256' }), 'INVALID_KEY_MATERIAL');
  throwsCode(dec(sealed, { ...fip.keyMaterial, Nonce: '' }), 'INVALID_KEY_MATERIAL');
  throwsCode(dec(sealed, { ...fip.keyMaterial, DHPublicKey: undefined } as unknown as FiKeyMaterial), 'INVALID_KEY_MATERIAL');
  throwsCode(dec(sealed, null as unknown as FiKeyMaterial), 'INVALID_KEY_MATERIAL');
  throwsCode(() => decryptFi(42 as unknown as string, fiu.privateKey, fiu.nonce, fip.keyMaterial), 'INVALID_BASE64');
});

test('unwrapFiDocument undoes a base64 layer over the document, and only that', () => {
  const xml = Buffer.from('<Account type="deposit"/>');
  assert.equal(unwrapFiDocument(xml), xml);
  assert.deepEqual(unwrapFiDocument(Buffer.from(xml.toString('base64'))), xml);
  assert.deepEqual(unwrapFiDocument(Buffer.from(Buffer.from('{"Account":{}}').toString('base64'))), Buffer.from('{"Account":{}}'));
  const quoted = Buffer.from(V1.plaintext);
  assert.equal(unwrapFiDocument(quoted), quoted);
  const b64OfBinary = Buffer.from(Buffer.from([1, 2, 3, 4]).toString('base64'));
  assert.equal(unwrapFiDocument(b64OfBinary), b64OfBinary);
});

// ---- Independent oracles -------------------------------------------------------------------

const PYTHON = '/usr/bin/python3';
const ORACLE = join(dirname(fileURLToPath(import.meta.url)), 'fi-oracle.py');
const pythonSkip =
  !existsSync(PYTHON) || spawnSync(PYTHON, ['-c', 'import cryptography'], { stdio: 'ignore' }).status !== 0
    ? 'no /usr/bin/python3 with cryptography (apt-get install python3-cryptography)'
    : false;

function python(request: object): any {
  return JSON.parse(execFileSync(PYTHON, [ORACLE], { input: JSON.stringify(request), encoding: 'utf8', timeout: 10_000 }));
}

for (const [form, curve] of [['a', 'Curve25519'], ['b', 'X25519']] as const) {
  test(`oracle: Python cryptography (+ its own Weierstrass arithmetic for form a), ${curve}, both directions`, { skip: pythonSkip }, () => {
    const doc = Buffer.from(`<Account type="deposit" linkedAccRef="${curve}">₹</Account>`);
    const fiu = generateFiKeyPair(NOW, { curve });
    // the oracle as FIP: its key, its nonce, its encryption; we decrypt
    const fip = python({ op: 'keygen', form });
    const sealed = python({
      op: 'encrypt', form, private: fip.private, nonce: fip.nonce,
      peerKeyValue: fiu.keyMaterial.DHPublicKey.KeyValue, peerNonce: fiu.nonce, plaintext: doc.toString('base64'),
    }).encryptedFI as string;
    const fipKm = km(fip.keyValue, fip.nonce, curve);
    assert.deepEqual(decryptFi(sealed, fiu.privateKey, fiu.nonce, fipKm), doc);
    // we encrypt to the oracle's key; the oracle decrypts
    const ours = encryptFi(doc, fiu.privateKey, fiu.nonce, fipKm);
    assert.equal(ours, sealed); // same K and iv from both ends, so the same bytes
    const other = generateFiKeyPair(NOW, { curve });
    const sealed2 = encryptFi(doc, other.privateKey, other.nonce, fipKm);
    const opened = python({
      op: 'decrypt', form, private: fip.private, nonce: fip.nonce,
      peerKeyValue: other.keyMaterial.DHPublicKey.KeyValue, peerNonce: other.nonce, encryptedFI: sealed2,
    });
    assert.deepEqual(Buffer.from(opened.plaintext as string, 'base64'), doc);
    if (form !== 'a') return;
    // and the oracle agrees with the published vector V1
    const v1 = python({
      op: 'decrypt', form: 'a', private: Buffer.from(V1.receiverPrivate, 'base64').toString('hex'), nonce: V1.receiverNonce,
      peerKeyValue: V1.senderSpki, peerNonce: V1.senderNonce, encryptedFI: V1.ciphertext,
    });
    assert.equal(Buffer.from(v1.plaintext as string, 'base64').toString(), V1.plaintext);
  });
}

const opensslSkip =
  spawnSync('openssl', ['version'], { stdio: 'ignore' }).status !== 0 ? 'no openssl binary (apt-get install openssl)' : false;

for (const curve of ['Curve25519', 'X25519'] as const) {
  test(`oracle: openssl pkeyutl -derive + openssl kdf HKDF, ${curve}, both directions (the CLI has no AES-GCM)`, { skip: opensslSkip }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'fi-openssl-'));
    try {
      const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, timeout: 10_000 });
      if (curve === 'X25519') {
        run('genpkey', '-algorithm', 'X25519', '-out', 'priv.pem');
      } else {
        // explicit ECParameters (SPKI bytes 16..241 of the published key), then a key on them
        const params = Buffer.from(V1.senderSpki, 'base64').subarray(16, 241);
        writeFileSync(join(dir, 'params.pem'), `-----BEGIN EC PARAMETERS-----\n${params.toString('base64').replace(/(.{64})/g, '$1\n')}\n-----END EC PARAMETERS-----\n`);
        run('genpkey', '-paramfile', 'params.pem', '-out', 'priv.pem');
      }
      run('pkey', '-in', 'priv.pem', '-pubout', '-outform', 'DER', '-out', 'pub.der');
      const theirSpki = readFileSync(join(dir, 'pub.der'));
      assert.equal(theirSpki.length, curve === 'X25519' ? 44 : 309);
      const theirNonce = Buffer.from(createHash('sha256').update('openssl nonce').digest()).toString('base64');
      const fiu = generateFiKeyPair(NOW, { curve });
      writeFileSync(join(dir, 'ours.der'), createPublicKey(fiu.privateKey).export({ type: 'spki', format: 'der' }));
      run('pkeyutl', '-derive', '-inkey', 'priv.pem', '-peerkey', 'ours.der', '-peerform', 'DER', '-out', 'z.bin');
      const z = readFileSync(join(dir, 'z.bin'));
      const x = Buffer.from(fiu.nonce, 'base64').map((v, i) => v ^ Buffer.from(theirNonce, 'base64')[i]!);
      const k = run('kdf', '-keylen', '32', '-kdfopt', 'digest:SHA256', '-kdfopt', `hexkey:${z.toString('hex')}`,
        '-kdfopt', `hexsalt:${Buffer.from(x.subarray(0, 20)).toString('hex')}`, '-binary', 'HKDF');
      // openssl's own ECDH (its private, our public) and HKDF give the key our side derives from its public key
      const theirs = km(theirSpki.toString('base64'), theirNonce, curve);
      const s = deriveFiSessionKey(fiu.privateKey, fiu.nonce, theirs);
      assert.equal(s.sharedSecret.toString('hex'), z.toString('hex'));
      assert.equal(Buffer.from(k).toString('hex'), s.key.toString('hex'));
      assert.equal(s.iv.toString('hex'), Buffer.from(x.subarray(20)).toString('hex'));
      // and the V1 vector through openssl's ECDH (form a) from the receiver's private scalar
      if (curve === 'Curve25519') {
        const v1priv = fiPrivateKeyFromRaw('Curve25519', Buffer.from(V1.receiverPrivate, 'base64'));
        writeFileSync(join(dir, 'v1.pem'), v1priv.export({ type: 'pkcs8', format: 'pem' }));
        writeFileSync(join(dir, 'v1peer.der'), Buffer.from(V1.senderSpki, 'base64'));
        run('pkeyutl', '-derive', '-inkey', 'v1.pem', '-peerkey', 'v1peer.der', '-peerform', 'DER', '-out', 'v1z.bin');
        assert.equal(readFileSync(join(dir, 'v1z.bin')).toString('hex'), V1.z);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
