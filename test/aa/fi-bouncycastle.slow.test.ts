/**
 * BouncyCastle as an independent FIP for the AA FI-data scheme (../shared/reference/aa.md §5,
 * §10): test/aa/FiOracle.java on Debian's OpenJDK and libbcprov-java (the library Rahasya,
 * Finvu and Setu run), against src/aa/fi-crypto.ts, in both curve forms:
 *   1. Passbook's KeyMaterial → BouncyCastle encrypts (a DEPOSIT document, and 1 MiB of one) →
 *      decryptFi gives the same bytes;
 *   2. encryptFi to a BouncyCastle key → BouncyCastle decrypts to the same bytes;
 *   3. the published vectors V1 and V2 (aa.md §5.5) through BouncyCastle with their fixed keys;
 *   4. a tampered ciphertext fails BouncyCastle's GCM and decryptFi's AUTHENTICATION_FAILED.
 * `java` source-launch compiles the oracle on each start (seconds), so all jobs go in two runs.
 * Skipped when java or bcprov.jar is missing, unless CI is set (.ci/run installs both).
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createPublicKey } from 'node:crypto';
import { existsSync } from 'node:fs';
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
  type FiCurve,
  type FiKeyMaterial,
  type FiKeyPair,
} from '../../src/aa/fi-crypto.ts';
import { km, V1, V2 } from './fi-vectors.ts';

const BCPROV = '/usr/share/java/bcprov.jar';
const ORACLE = join(dirname(fileURLToPath(import.meta.url)), 'FiOracle.java');
const CURVES: FiCurve[] = ['Curve25519', 'X25519'];
const NOW = new Date('2026-12-03T10:00:00.000Z');

const missing = [
  // source-launch needs the JDK's compiler module, not just a JRE
  spawnSync('java', ['--describe-module', 'jdk.compiler'], { stdio: 'ignore' }).status !== 0 && 'java with jdk.compiler (apt-get install openjdk-17-jdk-headless)',
  !existsSync(BCPROV) && `${BCPROV} (apt-get install libbcprov-java)`,
].filter(Boolean).join(' and ');
const skip = missing && !process.env.CI ? `BouncyCastle oracle not run: missing ${missing}` : false;

/**
 * One java run: a JSON array of jobs in, one result per job out (a failed job is {error}).
 * C1 only and the serial GC: the run is mostly javac compiling the oracle, which this halves.
 */
function oracle(jobs: object[]): any[] {
  const out = execFileSync('java', ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-cp', BCPROV, ORACLE], {
    input: JSON.stringify(jobs), encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, timeout: 120_000,
  });
  const results = JSON.parse(out);
  assert.ok(Array.isArray(results) && results.length === jobs.length, `oracle gave ${String(results?.length)} results for ${jobs.length} jobs`);
  return results;
}
const ok = (r: any, what: string) => {
  assert.equal(r.error, undefined, `${what}: BouncyCastle failed: ${r.error}`);
  return r;
};
const b64 = (b: Buffer | string) => Buffer.from(b).toString('base64');
const unb64 = (s: string) => Buffer.from(s, 'base64');
const spkiOf = (keyValue: string) => unb64(keyValue.replace(/-----(BEGIN|END) PUBLIC KEY-----/g, '').replace(/\s+/g, ''));
const flip = (sealed: string, i: number) => {
  const c = unb64(sealed);
  c[(i + c.length) % c.length] = c[(i + c.length) % c.length]! ^ 0x01;
  return c.toString('base64');
};
const authFails = (fn: () => unknown, what: string) =>
  assert.throws(fn, (e: unknown) => e instanceof FiCryptoError && e.code === 'AUTHENTICATION_FAILED', what);

// ---- plaintexts ------------------------------------------------------------------------------
const transaction = (i: number) =>
  `<Transaction txnId="T${String(i).padStart(7, '0')}" type="${i % 3 ? 'DEBIT' : 'CREDIT'}" mode="UPI" amount="${(i * 37.25).toFixed(2)}" currentBalance="${(100000 - i).toFixed(2)}" transactionTimestamp="2026-11-${String((i % 28) + 1).padStart(2, '0')}T10:15:30+05:30" valueDate="2026-11-${String((i % 28) + 1).padStart(2, '0')}" narration="UPI/${i}/Chai ₹ दुकान &amp; co" reference="REF${i}"/>`;
const deposit = (count: number) =>
  '<?xml version="1.0" encoding="UTF-8"?>\n' +
  '<Account xmlns="http://api.rebit.org.in/FISchema/deposit" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ' +
  'xsi:schemaLocation="http://api.rebit.org.in/FISchema/deposit ../FISchema/deposit.xsd" linkedAccRef="f3b5c1e0-7d0a-4c55-9a59-2d7c1c9e0a11" maskedAccNumber="XXXXXXXX4020" version="2.0.0" type="deposit">' +
  '<Profile><Holders type="SINGLE"><Holder name="अनिता Sharma" dob="1990-01-01" mobile="9999999999" nominee="REGISTERED" email="anita@example.in" pan="AAAPL1234C" ckycCompliance="true"/></Holders></Profile>' +
  '<Summary currentBalance="101666.50" currency="INR" exchgeRate="" balanceDateTime="2026-12-01T10:00:00+05:30" type="SAVINGS" branch="Andheri" facility="OD" ifscCode="HDFC0000123" micrCode="400240015" openingDate="2018-04-01" currentODLimit="0" drawingLimit="0" status="ACTIVE"><Pending amount="0"/></Summary>' +
  `<Transactions startDate="2026-11-01" endDate="2026-11-30">${Array.from({ length: count }, (_, i) => transaction(i)).join('')}</Transactions></Account>`;
const XML = Buffer.from(deposit(3));
const MIB = (() => {
  let count = 1;
  while (Buffer.byteLength(deposit(count)) < 1024 * 1024) count *= 2;
  return Buffer.from(deposit(count)).subarray(0, 1024 * 1024 + 17); // just over 1 MiB, not a multiple of the AES block
})();
const PLAINTEXTS = { xml: XML, mib: MIB };

// ---- aa.md §5.5 vectors (test/aa/fi-vectors.ts) ------------------------------------------------
const V1_SENDER = km(`-----BEGIN PUBLIC KEY-----${V1.senderSpki}-----END PUBLIC KEY-----`, V1.senderNonce);
const V2_BOB = km(V2.bobSpki, V2.peerNonce, 'X25519');

test('BouncyCastle (Debian libbcprov-java) as the FIP, both curve forms', { skip, timeout: 180_000 }, async (t) => {
  assert.equal(missing, '', `CI is set, so the BouncyCastle oracle must run, but ${missing} is missing (.ci/run installs it)`);

  // ---- first java run: BouncyCastle encrypts to Passbook, makes keys for us, and runs the vectors
  const fiu = Object.fromEntries(CURVES.map((c) => [c, generateFiKeyPair(NOW, { curve: c })])) as Record<FiCurve, FiKeyPair>;
  const jobs1: object[] = [{ op: 'info' }];
  const at1: Record<string, number> = {};
  const add1 = (name: string, job: object) => (at1[name] = jobs1.push(job) - 1);
  for (const c of CURVES) {
    for (const [name, plain] of Object.entries(PLAINTEXTS)) {
      add1(`enc ${c} ${name}`, { op: 'encrypt', peerKeyMaterial: fiu[c].keyMaterial, plaintext: b64(plain) });
    }
    add1(`keygen ${c}`, { op: 'keygen', curve: c });
  }
  const v1Private = unb64(V1.receiverPrivate).toString('hex');
  add1('V1 decrypt', { op: 'decrypt', curve: 'Curve25519', private: v1Private, nonce: V1.receiverNonce, peerKeyMaterial: V1_SENDER, encryptedFI: V1.ciphertext });
  add1('V1 encrypt', { op: 'encrypt', private: v1Private, nonce: V1.receiverNonce, peerKeyMaterial: V1_SENDER, plaintext: b64(V1.plaintext) });
  add1('V2 encrypt', { op: 'encrypt', private: V2.alicePrivate, nonce: V2.ownNonce, peerKeyMaterial: V2_BOB, plaintext: b64(V2.plaintext) });
  add1('V2 decrypt as Bob', {
    op: 'decrypt', curve: 'X25519', private: V2.bobPrivate, nonce: V2.peerNonce, peerKeyMaterial: km(V2.alicePublic, V2.ownNonce, 'X25519'), encryptedFI: V2.ciphertext,
  });
  add1('V2 decrypt, Rahasya X25519 KeyMaterial', {
    op: 'decrypt', curve: 'X25519', private: V2.alicePrivate, nonce: V2.ownNonce, peerKeyMaterial: { ...V2_BOB, cryptoAlg: 'X25519', curve: '' }, encryptedFI: V2.ciphertext,
  });
  let started = Date.now();
  const r1 = oracle(jobs1);
  const run1Ms = Date.now() - started;
  const info = ok(r1[0], 'info');
  t.diagnostic(`BouncyCastle ${info.bouncycastle} on Java ${info.java}; first run (${jobs1.length} jobs) ${run1Ms} ms`);
  const res1 = (name: string) => ok(r1[at1[name]!], name);

  await t.test('1. BouncyCastle encrypts to generateFiKeyPair\'s KeyMaterial, decryptFi gives the same bytes', () => {
    for (const c of CURVES) {
      for (const [name, plain] of Object.entries(PLAINTEXTS)) {
        const r = res1(`enc ${c} ${name}`);
        const fip: FiKeyMaterial = r.keyMaterial;
        assert.equal(fip.curve, c);
        assert.equal(parseFiPublicKey(fip.DHPublicKey.KeyValue).curve, c, 'BouncyCastle\'s key is read as the same form');
        assert.equal(unb64(r.encryptedFI).length, plain.length + 16);
        const opened = decryptFi(r.encryptedFI, fiu[c].privateKey, fiu[c].nonce, fip);
        assert.ok(opened.equals(plain), `${c} ${name}: decryptFi gave other bytes`);
        // Passbook's side derives BouncyCastle's Z, K and iv, so its own encryption gives the same bytes.
        const s = deriveFiSessionKey(fiu[c].privateKey, fiu[c].nonce, fip);
        assert.deepEqual([s.sharedSecret.toString('hex'), s.key.toString('hex'), s.iv.toString('hex')], [r.z, r.k, r.iv], `${c} ${name}: Z, K, iv`);
        if (name === 'xml') assert.equal(encryptFi(plain, fiu[c].privateKey, fiu[c].nonce, fip), r.encryptedFI);
      }
    }
    // BouncyCastle's Curve25519 SPKI: 309 bytes, the explicit parameters byte for byte as Passbook's (all but the point).
    const bc = spkiOf(res1('enc Curve25519 xml').keyMaterial.DHPublicKey.KeyValue);
    const ours = spkiOf(fiu.Curve25519.keyMaterial.DHPublicKey.KeyValue);
    assert.equal(bc.length, 309);
    assert.ok(bc.subarray(0, 244).equals(ours.subarray(0, 244)), 'SPKI prefixes differ');
    assert.match(res1('enc Curve25519 xml').keyMaterial.DHPublicKey.KeyValue, /^-----BEGIN PUBLIC KEY-----MIIBMTCB6gYHKoZIzj0CATCB3gIBATArBgcqhkjOPQEBAiB\/{8}[A-Za-z0-9+/=]+-----END PUBLIC KEY-----$/);
    assert.equal(spkiOf(res1('enc X25519 xml').keyMaterial.DHPublicKey.KeyValue).length, 44);
  });

  await t.test('3. the published vectors V1 (Curve25519) and V2 (X25519) through BouncyCastle with their fixed keys', () => {
    const v1d = res1('V1 decrypt');
    assert.equal(unb64(v1d.plaintext).toString('utf8'), V1.plaintext);
    assert.deepEqual([v1d.z, v1d.k, v1d.iv], [V1.z, V1.k, V1.iv]);
    const v1e = res1('V1 encrypt');
    assert.equal(v1e.encryptedFI, V1.ciphertext);
    // BouncyCastle's public key for the fixed scalar is the one Passbook computes from it.
    const v1Public = createPublicKey(fiPrivateKeyFromRaw('Curve25519', unb64(V1.receiverPrivate))).export({ type: 'spki', format: 'der' });
    assert.ok(spkiOf(v1e.keyMaterial.DHPublicKey.KeyValue).equals(v1Public), 'V1 receiver public key');
    const v2e = res1('V2 encrypt');
    assert.deepEqual([v2e.z, v2e.k, v2e.iv, v2e.encryptedFI], [V2.z, V2.k, V2.iv, V2.ciphertext]);
    assert.equal(spkiOf(v2e.keyMaterial.DHPublicKey.KeyValue).subarray(12).toString('hex'), V2.alicePublic, 'RFC 7748 §6.1 Alice public key');
    for (const name of ['V2 decrypt as Bob', 'V2 decrypt, Rahasya X25519 KeyMaterial']) {
      const r = res1(name);
      assert.equal(unb64(r.plaintext).toString('utf8'), V2.plaintext, name);
      assert.deepEqual([r.z, r.k, r.iv], [V2.z, V2.k, V2.iv], name);
    }
  });

  await t.test('4a. a tampered BouncyCastle ciphertext makes decryptFi throw AUTHENTICATION_FAILED', () => {
    for (const c of CURVES) {
      const r = res1(`enc ${c} xml`);
      for (const i of [0, 100, -17, -1]) authFails(() => decryptFi(flip(r.encryptedFI, i), fiu[c].privateKey, fiu[c].nonce, r.keyMaterial), `${c} byte ${i}`);
    }
  });

  // ---- second java run: BouncyCastle decrypts what Passbook encrypted, and refuses tampered data
  const jobs2: object[] = [];
  const at2: Record<string, number> = {};
  const add2 = (name: string, job: object) => (at2[name] = jobs2.push(job) - 1);
  for (const c of CURVES) {
    const bcKey = res1(`keygen ${c}`);
    const fipKm: FiKeyMaterial = bcKey.keyMaterial;
    const sender = generateFiKeyPair(NOW, { curve: c });
    const decryptJob = (encryptedFI: string, peer: FiKeyMaterial = sender.keyMaterial) =>
      ({ op: 'decrypt', curve: c, private: bcKey.private, nonce: fipKm.Nonce, peerKeyMaterial: peer, encryptedFI });
    for (const [name, plain] of Object.entries(PLAINTEXTS)) {
      add2(`dec ${c} ${name}`, decryptJob(encryptFi(plain, sender.privateKey, sender.nonce, fipKm)));
    }
    // The FIU's own key from the first run, encrypting back to the key BouncyCastle encrypted with.
    const back = res1(`enc ${c} xml`);
    add2(`dec ${c} back`, {
      op: 'decrypt', curve: c, private: back.private, nonce: back.keyMaterial.Nonce, peerKeyMaterial: fiu[c].keyMaterial,
      encryptedFI: encryptFi('{"Account":{"type":"deposit"}}', fiu[c].privateKey, fiu[c].nonce, back.keyMaterial),
    });
    const sealed = encryptFi(XML, sender.privateKey, sender.nonce, fipKm);
    add2(`tamper ${c} ciphertext`, decryptJob(flip(sealed, 5)));
    add2(`tamper ${c} tag`, decryptJob(flip(sealed, -3)));
    add2(`tamper ${c} truncated`, decryptJob(unb64(sealed).subarray(0, -1).toString('base64')));
    const nonce = unb64(sender.nonce);
    nonce[31] = nonce[31]! ^ 0x80;
    add2(`tamper ${c} nonce`, decryptJob(sealed, { ...sender.keyMaterial, Nonce: b64(nonce) }));
  }
  started = Date.now();
  const r2 = oracle(jobs2);
  t.diagnostic(`second run (${jobs2.length} jobs) ${Date.now() - started} ms`);
  const res2 = (name: string) => r2[at2[name]!];

  await t.test('2. encryptFi to a BouncyCastle key, BouncyCastle decrypts to the same bytes', () => {
    for (const c of CURVES) {
      for (const [name, plain] of Object.entries(PLAINTEXTS)) {
        assert.ok(unb64(ok(res2(`dec ${c} ${name}`), `${c} ${name}`).plaintext).equals(plain), `${c} ${name}: BouncyCastle decrypted other bytes`);
      }
      assert.equal(unb64(ok(res2(`dec ${c} back`), `${c} back`).plaintext).toString(), '{"Account":{"type":"deposit"}}');
    }
  });

  await t.test('4b. a tampered Passbook ciphertext (or a changed nonce) fails BouncyCastle\'s GCM', () => {
    for (const c of CURVES) {
      for (const what of ['ciphertext', 'tag', 'truncated', 'nonce']) {
        const r = res2(`tamper ${c} ${what}`);
        assert.equal(r.plaintext, undefined, `${c} ${what}: BouncyCastle returned a plaintext`);
        assert.match(String(r.error), /InvalidCipherTextException: mac check in GCM failed/, `${c} ${what}`);
      }
    }
  });
});
