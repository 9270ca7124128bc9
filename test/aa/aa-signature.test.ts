import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHmac, createPrivateKey, generateKeyPairSync, sign as nodeSign, type KeyObject } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { CompactSign } from 'jose';
import {
  AaSignatureError,
  loadSigningKey,
  loadVerifyKey,
  signDetached,
  verifyDetached,
  type AaSignatureErrorCode,
  type AaVerifyKey,
} from '../../src/aa/aa-signature.ts';

// ---- keys, generated here (no fixtures of real keys) ------------------------------------------
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const otherRsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });

const pkcs8 = (k: KeyObject) => k.export({ type: 'pkcs8', format: 'pem' }).toString();
const spki = (k: KeyObject) => k.export({ type: 'spki', format: 'pem' }).toString();
const jwkText = (k: KeyObject, extra: Record<string, unknown> = {}) => JSON.stringify({ ...k.export({ format: 'jwk' }), ...extra });

const b64u = (s: string | Uint8Array) => Buffer.from(s).toString('base64url');
const headerOf = (jws: string) => JSON.parse(Buffer.from(jws.split('.')[0] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;

const BODY = JSON.stringify({
  ver: '2.0.0',
  timestamp: '2026-12-03T10:00:00.000Z',
  txnid: '0b811819-9044-4856-b0ee-8c88035f8858',
  Notifier: { type: 'AA', id: 'aa-sandbox' },
  ConsentStatusNotification: { consentId: 'c-1', consentHandle: 'h-1', consentStatus: 'ACTIVE', note: '₹ — non-ASCII' },
});

const rejects = async (p: Promise<unknown>, code: AaSignatureErrorCode) =>
  assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof AaSignatureError, `expected AaSignatureError, got ${String(e)}`);
    assert.equal(e.code, code, `expected ${code}, got ${e.code}: ${e.message}`);
    return true;
  });

/** A detached JWS made by hand with node:crypto: header, then raw (b64:false) or base64url body. */
const handSigned = (header: Record<string, unknown>, body: string, key: KeyObject, encodePayload: boolean) => {
  const h = b64u(JSON.stringify(header));
  const sig = nodeSign('sha256', Buffer.concat([Buffer.from(`${h}.`), Buffer.from(encodePayload ? b64u(body) : body)]), key);
  return `${h}..${sig.toString('base64url')}`;
};

// ---- round trips ------------------------------------------------------------------------------
test('round trip: RSA key as JWK (kid from the JWK), RFC 7797 header, empty middle', async () => {
  const signing = await loadSigningKey(jwkText(rsa.privateKey, { kid: 'fiu-key-1' }));
  const verify = await loadVerifyKey(jwkText(rsa.publicKey, { kid: 'fiu-key-1' }));
  assert.equal(signing.alg, 'RS256');
  assert.deepEqual(verify.algorithms, ['RS256', 'PS256']);
  const jws = await signDetached(BODY, signing);
  const [h, middle, s] = jws.split('.');
  assert.equal(middle, '');
  assert.ok(h && s);
  assert.deepEqual(headerOf(jws), { alg: 'RS256', kid: 'fiu-key-1', b64: false, crit: ['b64'] });
  await verifyDetached(jws, BODY, verify);
  await verifyDetached(jws, Buffer.from(BODY, 'utf8'), verify); // same bytes as a buffer
  await verifyDetached(` ${jws} `, BODY, verify); // header whitespace
});

test('round trip: RSA key as PEM (PKCS#8 / SPKI), binary body, kid = JWK thumbprint unless given', async () => {
  const signing = await loadSigningKey(pkcs8(rsa.privateKey));
  assert.match(signing.kid, /^[A-Za-z0-9_-]{43}$/);
  assert.equal((await loadSigningKey(pkcs8(rsa.privateKey), { kid: 'given' })).kid, 'given');
  const verify = await loadVerifyKey(spki(rsa.publicKey));
  assert.equal(verify.kid, undefined);
  const body = new Uint8Array([0xff, 0x00, 0x7b, 0x22, 0x80, 0xfe]); // not UTF-8
  await verifyDetached(await signDetached(body, signing), body, verify);
  // env vars often hold PEM with literal "\n", and PKCS#1 is accepted too
  const oneLine = pkcs8(rsa.privateKey).replace(/\n/g, '\\n');
  await verifyDetached(await signDetached(BODY, await loadSigningKey(oneLine)), BODY, verify);
  const pkcs1 = rsa.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  await verifyDetached(await signDetached(BODY, await loadSigningKey(pkcs1)), BODY, verify);
  // a JWK set of one key
  const jwks = JSON.stringify({ keys: [JSON.parse(jwkText(rsa.publicKey, { kid: 'k', use: 'sig', alg: 'RS256' }))] });
  const fromSet = await loadVerifyKey(jwks);
  assert.deepEqual(fromSet.algorithms, ['RS256']);
  await verifyDetached(await signDetached(BODY, await loadSigningKey(pkcs8(rsa.privateKey), { kid: 'k' })), BODY, fromSet);
});

test('round trip: ES256 (P-256) and PS256 (JWK alg)', async () => {
  const es = await loadSigningKey(jwkText(ec.privateKey));
  assert.equal(es.alg, 'ES256');
  await verifyDetached(await signDetached(BODY, es), BODY, await loadVerifyKey(spki(ec.publicKey)));
  const ps = await loadSigningKey(jwkText(rsa.privateKey, { alg: 'PS256' }));
  assert.equal(ps.alg, 'PS256');
  await verifyDetached(await signDetached(BODY, ps), BODY, await loadVerifyKey(spki(rsa.publicKey)));
  // a key pinned to PS256 refuses RS256
  const psOnly = await loadVerifyKey(jwkText(rsa.publicKey, { alg: 'PS256' }));
  await rejects(verifyDetached(await signDetached(BODY, await loadSigningKey(pkcs8(rsa.privateKey))), BODY, psOnly), 'UNSUPPORTED_ALGORITHM');
});

test('liberal: Setu-style b64:true detached JWS, and b64:false without crit', async () => {
  const verify = await loadVerifyKey(spki(rsa.publicKey));
  const encoded = handSigned({ alg: 'RS256' }, BODY, rsa.privateKey, true);
  await verifyDetached(encoded, BODY, verify);
  await rejects(verifyDetached(encoded, `${BODY} `, verify), 'INVALID_SIGNATURE');
  const noCrit = handSigned({ alg: 'RS256', kid: 'x', b64: false }, BODY, rsa.privateKey, false);
  await verifyDetached(noCrit, BODY, verify);
  await rejects(verifyDetached(noCrit, BODY.replace('ACTIVE', 'PAUSED'), verify), 'INVALID_SIGNATURE');
  // and b64:false with crit made by hand equals what jose verifies
  await verifyDetached(handSigned({ alg: 'RS256', b64: false, crit: ['b64'] }, BODY, rsa.privateKey, false), BODY, verify);
});

// ---- refusals ---------------------------------------------------------------------------------
test('refused: tampered body (each single byte), tampered signature, wrong key', async () => {
  const signing = await loadSigningKey(pkcs8(rsa.privateKey));
  const verify = await loadVerifyKey(spki(rsa.publicKey));
  const jws = await signDetached(BODY, signing);
  const bytes = Buffer.from(BODY, 'utf8');
  for (const i of [0, 1, bytes.length >> 1, bytes.length - 1]) {
    const t = Buffer.from(bytes);
    t[i] = (t[i] ?? 0) ^ 0x01;
    await rejects(verifyDetached(jws, t, verify), 'INVALID_SIGNATURE');
  }
  await rejects(verifyDetached(jws, `${BODY}\n`, verify), 'INVALID_SIGNATURE');
  await rejects(verifyDetached(jws, JSON.stringify(JSON.parse(BODY), null, 1), verify), 'INVALID_SIGNATURE'); // same JSON, other bytes
  const [h, , s = ''] = jws.split('.');
  const sig = Buffer.from(s, 'base64url');
  sig[10] = (sig[10] ?? 0) ^ 0x80;
  await rejects(verifyDetached(`${h}..${sig.toString('base64url')}`, BODY, verify), 'INVALID_SIGNATURE');
  await rejects(verifyDetached(`${h}..${s.slice(0, -4)}`, BODY, verify), 'INVALID_SIGNATURE'); // truncated
  await rejects(verifyDetached(jws, BODY, await loadVerifyKey(spki(otherRsa.publicKey))), 'INVALID_SIGNATURE');
});

test('refused: an attached (non-detached) JWS, and malformed values', async () => {
  const verify = await loadVerifyKey(spki(rsa.publicKey));
  const attached = await new CompactSign(Buffer.from(BODY)).setProtectedHeader({ alg: 'RS256' }).sign(rsa.privateKey);
  await rejects(verifyDetached(attached, BODY, verify), 'INVALID_SIGNATURE');
  // RFC 7797 attached form (jose's CompactSign refuses to make it), body as the middle segment
  const raw = handSigned({ alg: 'RS256', b64: false, crit: ['b64'] }, '{"a":1}', rsa.privateKey, false);
  await rejects(verifyDetached(raw.replace('..', '.{"a":1}.'), '{"a":1}', verify), 'INVALID_SIGNATURE');
  // an attached copy of the very body, b64:true: still refused (the issue asks for detached only)
  const setu = handSigned({ alg: 'RS256' }, BODY, rsa.privateKey, true);
  await verifyDetached(setu, BODY, verify);
  await rejects(verifyDetached(setu.replace('..', `.${b64u(BODY)}.`), BODY, verify), 'INVALID_SIGNATURE');
  const good = await signDetached(BODY, await loadSigningKey(pkcs8(rsa.privateKey)));
  const [h = '', , s = ''] = good.split('.');
  for (const bad of ['abc', `${h}.${s}`, `${h}...${s}`, `${h}..`, `..${s}`, `${h}..${s}!`, `@@..${s}`, `${b64u('not json')}..${s}`, `${b64u('[1]')}..${s}`, `${b64u('{"kid":"k"}')}..${s}`]) {
    await rejects(verifyDetached(bad, BODY, verify), 'INVALID_SIGNATURE');
  }
  // unknown critical extension, and b64 that is not a boolean
  await rejects(verifyDetached(handSigned({ alg: 'RS256', crit: ['exp'], exp: 1 }, BODY, rsa.privateKey, true), BODY, verify), 'INVALID_SIGNATURE');
  await rejects(verifyDetached(handSigned({ alg: 'RS256', b64: 'false' }, BODY, rsa.privateKey, true), BODY, verify), 'INVALID_SIGNATURE');
});

test('refused: a missing header', async () => {
  const verify = await loadVerifyKey(spki(rsa.publicKey));
  await rejects(verifyDetached(undefined, BODY, verify), 'SIGNATURE_MISSING');
  await rejects(verifyDetached('', BODY, verify), 'SIGNATURE_MISSING');
  await rejects(verifyDetached('   ', BODY, verify), 'SIGNATURE_MISSING');
});

test('refused: alg none, and HS256 with the public key as the HMAC secret (algorithm confusion)', async () => {
  const verify = await loadVerifyKey(spki(rsa.publicKey));
  const none = b64u(JSON.stringify({ alg: 'none', b64: false, crit: ['b64'] }));
  await rejects(verifyDetached(`${none}..`, BODY, verify), 'UNSUPPORTED_ALGORITHM');
  await rejects(verifyDetached(`${none}..AAAA`, BODY, verify), 'UNSUPPORTED_ALGORITHM');
  for (const secret of [spki(rsa.publicKey), jwkText(rsa.publicKey)]) {
    const h = b64u(JSON.stringify({ alg: 'HS256', b64: false, crit: ['b64'] }));
    const mac = createHmac('sha256', secret).update(`${h}.${BODY}`).digest('base64url');
    await rejects(verifyDetached(`${h}..${mac}`, BODY, verify), 'UNSUPPORTED_ALGORITHM');
  }
  // ES256 header against an RSA key, RS256 against an EC key
  const es = await signDetached(BODY, await loadSigningKey(pkcs8(ec.privateKey)));
  await rejects(verifyDetached(es, BODY, verify), 'UNSUPPORTED_ALGORITHM');
  const rs = await signDetached(BODY, await loadSigningKey(pkcs8(rsa.privateKey)));
  await rejects(verifyDetached(rs, BODY, await loadVerifyKey(spki(ec.publicKey))), 'UNSUPPORTED_ALGORITHM');
});

test('kid: a header kid must match the key kid when the key has one', async () => {
  const signing = await loadSigningKey(pkcs8(rsa.privateKey), { kid: 'fiu-1' });
  const jws = await signDetached(BODY, signing);
  await verifyDetached(jws, BODY, await loadVerifyKey(spki(rsa.publicKey), { kid: 'fiu-1' }));
  await verifyDetached(jws, BODY, await loadVerifyKey(spki(rsa.publicKey))); // key without kid
  await rejects(verifyDetached(jws, BODY, await loadVerifyKey(jwkText(rsa.publicKey, { kid: 'fiu-2' }))), 'INVALID_SIGNATURE');
  // a header without kid is accepted by a key with one
  await verifyDetached(handSigned({ alg: 'RS256', b64: false, crit: ['b64'] }, BODY, rsa.privateKey, false), BODY, await loadVerifyKey(spki(rsa.publicKey), { kid: 'fiu-1' }));
  await rejects(verifyDetached(handSigned({ alg: 'RS256', kid: 7 }, BODY, rsa.privateKey, true), BODY, await loadVerifyKey(spki(rsa.publicKey))), 'INVALID_SIGNATURE');
});

test('key loading: wrong kinds of key are refused with their code', async () => {
  const loadRejects = async (p: Promise<unknown>, code: AaSignatureErrorCode) => rejects(p, code);
  await loadRejects(loadSigningKey(''), 'INVALID_KEY');
  await loadRejects(loadSigningKey('not a key'), 'INVALID_KEY');
  await loadRejects(loadSigningKey('{not json'), 'INVALID_KEY');
  await loadRejects(loadSigningKey(spki(rsa.publicKey)), 'INVALID_KEY'); // public where private is needed
  await loadRejects(loadSigningKey(jwkText(rsa.publicKey)), 'INVALID_KEY');
  await loadRejects(loadVerifyKey(pkcs8(rsa.privateKey)), 'INVALID_KEY'); // private where public is needed
  await loadRejects(loadVerifyKey(jwkText(rsa.privateKey)), 'INVALID_KEY');
  await loadRejects(loadSigningKey('-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----'), 'INVALID_KEY');
  const small = generateKeyPairSync('rsa', { modulusLength: 1024 });
  await loadRejects(loadSigningKey(pkcs8(small.privateKey)), 'INVALID_KEY');
  await loadRejects(loadVerifyKey(spki(small.publicKey)), 'INVALID_KEY');
  const ed = generateKeyPairSync('ed25519');
  await loadRejects(loadSigningKey(pkcs8(ed.privateKey)), 'UNSUPPORTED_ALGORITHM');
  await loadRejects(loadVerifyKey(jwkText(ed.publicKey)), 'UNSUPPORTED_ALGORITHM');
  const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' });
  await loadRejects(loadSigningKey(pkcs8(p384.privateKey)), 'UNSUPPORTED_ALGORITHM');
  await loadRejects(loadSigningKey(JSON.stringify({ kty: 'oct', k: 'c2VjcmV0' })), 'UNSUPPORTED_ALGORITHM');
  await loadRejects(loadVerifyKey(JSON.stringify({ kty: 'oct', k: 'c2VjcmV0', alg: 'HS256' })), 'UNSUPPORTED_ALGORITHM');
  await loadRejects(loadSigningKey(jwkText(rsa.privateKey, { alg: 'none' })), 'UNSUPPORTED_ALGORITHM');
  await loadRejects(loadVerifyKey(jwkText(rsa.publicKey, { alg: 'HS256' })), 'UNSUPPORTED_ALGORITHM');
  await loadRejects(loadVerifyKey(jwkText(rsa.publicKey, { alg: 'ES256' })), 'UNSUPPORTED_ALGORITHM');
  await loadRejects(loadVerifyKey(jwkText(rsa.publicKey, { use: 'enc' })), 'INVALID_KEY');
  await loadRejects(loadVerifyKey(JSON.stringify({ keys: [] })), 'INVALID_KEY');
});

// ---- independent oracle: openssl (Debian `openssl`) ---------------------------------------------
const opensslSkip = spawnSync('openssl', ['version'], { stdio: 'ignore' }).status !== 0 ? 'no openssl binary (apt-get install openssl)' : false;

test('oracle: openssl dgst verifies our signatures and signs ones we verify (RS256, PS256, certificate)', { skip: opensslSkip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'aa-jws-openssl-'));
  try {
    const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, timeout: 10_000, stdio: ['ignore', 'pipe', 'pipe'] });
    writeFileSync(join(dir, 'pub.pem'), spki(rsa.publicKey));
    writeFileSync(join(dir, 'priv.pem'), pkcs8(rsa.privateKey));
    const pss = ['-sigopt', 'rsa_padding_mode:pss', '-sigopt', 'rsa_pss_saltlen:32'];

    // 1. openssl verifies ours: signing input = <protected> "." <raw body bytes> (b64:false)
    for (const [alg, opts] of [['RS256', []], ['PS256', pss]] as const) {
      const jws = await signDetached(BODY, await loadSigningKey(jwkText(rsa.privateKey, { alg })));
      const [h = '', , s = ''] = jws.split('.');
      writeFileSync(join(dir, 'input.bin'), Buffer.concat([Buffer.from(`${h}.`), Buffer.from(BODY, 'utf8')]));
      writeFileSync(join(dir, 'sig.bin'), Buffer.from(s, 'base64url'));
      assert.match(run('dgst', '-sha256', ...opts, '-verify', 'pub.pem', '-signature', 'sig.bin', 'input.bin').toString(), /Verified OK/);
      // and refuses it over the base64url payload (so it really is the unencoded form)
      writeFileSync(join(dir, 'input.bin'), `${h}.${b64u(BODY)}`);
      assert.notEqual(spawnSync('openssl', ['dgst', '-sha256', ...opts, '-verify', 'pub.pem', '-signature', 'sig.bin', 'input.bin'], { cwd: dir }).status, 0);
    }

    // 2. openssl signs, we verify: b64:false with crit, and the Setu-style b64:true form
    const verify = await loadVerifyKey(spki(rsa.publicKey));
    const opensslSign = (input: Buffer | string, opts: readonly string[] = []) => {
      writeFileSync(join(dir, 'input.bin'), input);
      run('dgst', '-sha256', ...opts, '-sign', 'priv.pem', '-out', 'sig.bin', 'input.bin');
      return readFileSync(join(dir, 'sig.bin')).toString('base64url');
    };
    const h1 = b64u(JSON.stringify({ alg: 'RS256', kid: 'openssl', b64: false, crit: ['b64'] }));
    const s1 = opensslSign(Buffer.concat([Buffer.from(`${h1}.`), Buffer.from(BODY, 'utf8')]));
    await verifyDetached(`${h1}..${s1}`, BODY, verify);
    await rejects(verifyDetached(`${h1}..${s1}`, BODY.replace('c-1', 'c-2'), verify), 'INVALID_SIGNATURE');
    const h2 = b64u(JSON.stringify({ alg: 'RS256' }));
    await verifyDetached(`${h2}..${opensslSign(`${h2}.${b64u(BODY)}`)}`, BODY, verify);
    const h3 = b64u(JSON.stringify({ alg: 'PS256', b64: false, crit: ['b64'] }));
    await verifyDetached(`${h3}..${opensslSign(Buffer.concat([Buffer.from(`${h3}.`), Buffer.from(BODY)]), pss)}`, BODY, verify);

    // 3. AA_PUBLIC_KEY as an X.509 certificate made by openssl
    run('req', '-new', '-x509', '-key', 'priv.pem', '-subj', '/CN=aa-sandbox', '-days', '1', '-out', 'cert.pem');
    const fromCert = await loadVerifyKey(readFileSync(join(dir, 'cert.pem'), 'utf8'));
    await verifyDetached(await signDetached(BODY, await loadSigningKey(pkcs8(rsa.privateKey))), BODY, fromCert);
    assert.equal(createPrivateKey(pkcs8(rsa.privateKey)).asymmetricKeyType, 'rsa');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('types: AaVerifyKey is a plain value', async () => {
  const v: AaVerifyKey = await loadVerifyKey(spki(rsa.publicKey));
  assert.equal(v.publicKey.type, 'public');
});
