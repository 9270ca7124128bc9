/**
 * Account Aggregator FI-data encryption (ReBIT NBFC-AA API 2.x `KeyMaterial`, the scheme of
 * Sahamati's Rahasya; ../shared/reference/aa.md §5).
 *
 *   Z   = ECDH(our private key, their public key)             32 bytes
 *   X   = our nonce XOR their nonce                           both 32 bytes
 *   K   = HKDF-SHA256(IKM = Z, salt = X[0..20), info = "", L = 32)
 *   iv  = X[20..32)
 *   encryptedFI = base64(AES-256-GCM(K, iv, no AAD) ciphertext || 16-byte tag)
 *
 * Two curve forms exist. `Curve25519` (what we send, what AAs and FIPs have supported since
 * 2020) is the short-Weierstrass form of curve25519 as BouncyCastle implements it: keys are a
 * 309-byte X.509 SPKI with explicit domain parameters, Z is the affine x-coordinate of d·Q
 * (big-endian). `X25519` is RFC 7748: keys are a 44-byte RFC 8410 SPKI (PEM or bare base64),
 * a 64-hex or base64 raw 32-byte key, or an OKP JWK; Z is the X25519 output. Node's crypto
 * (OpenSSL 3) handles both; nothing here needs a dependency.
 *
 * Everything that is wrong with the input raises a `FiCryptoError` with a code; nothing
 * returns bytes that were not authenticated.
 */
import {
  createCipheriv,
  createDecipheriv,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  hkdfSync,
  randomBytes,
  type KeyObject,
} from 'node:crypto';

export type FiCurve = 'Curve25519' | 'X25519';

/** ReBIT `KeyMaterial` (what /FI/request sends and /FI/fetch returns per FIP). */
export interface FiKeyMaterial {
  cryptoAlg: string;
  curve: string;
  params: string;
  DHPublicKey: { expiry: string; Parameters: string; KeyValue: string };
  /** base64 of 32 random bytes */
  Nonce: string;
}

/** An ephemeral key pair: the `KeyMaterial` to send and what must be kept to decrypt. */
export interface FiKeyPair {
  keyMaterial: FiKeyMaterial;
  curve: FiCurve;
  /** Keep secret; `privateKey.export({ type: 'pkcs8', format: 'der' })` to store it. */
  privateKey: KeyObject;
  /** base64, the same as `keyMaterial.Nonce` */
  nonce: string;
}

export type FiCryptoErrorCode =
  | 'INVALID_BASE64' // encryptedFI, nonce or key is not base64
  | 'INVALID_KEY_LENGTH' // a key has the wrong number of bytes
  | 'INVALID_KEY' // a key is not a key of either curve form (bad DER, point off the curve, wrong domain)
  | 'INVALID_NONCE' // a nonce is not 32 bytes
  | 'INVALID_KEY_MATERIAL' // KeyMaterial is missing fields or names another algorithm or curve
  | 'CURVE_MISMATCH' // our key and theirs are of different curve forms
  | 'KEY_AGREEMENT_FAILED' // ECDH refused (e.g. a low-order X25519 point)
  | 'CIPHERTEXT_TOO_SHORT' // shorter than the 16-byte tag
  | 'AUTHENTICATION_FAILED'; // GCM tag does not match: tampered data, wrong key or nonce

export class FiCryptoError extends Error {
  readonly code: FiCryptoErrorCode;
  constructor(code: FiCryptoErrorCode, message: string) {
    super(message);
    this.name = 'FiCryptoError';
    this.code = code;
  }
}

// ---------------------------------------------------------------------------------------
// Constants

const NONCE_BYTES = 32;
const SALT_BYTES = 20;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_VALIDITY_MS = 24 * 60 * 60 * 1000; // Rahasya stamps now + 24 h

/**
 * The BouncyCastle `Curve25519` SPKI up to the public point: SEQUENCE header, the explicit-
 * parameters AlgorithmIdentifier (p = 2^255 − 19, a, b, G, n, h = 8) and the BIT STRING
 * header. The point `04 ‖ X ‖ Y` (65 bytes) follows; the whole SPKI is 309 bytes.
 */
const WEIERSTRASS_SPKI_PREFIX = Buffer.from(
  '308201313081ea06072a8648ce3d02013081de020101302b06072a8648ce3d010102207fffffffffffffffff' +
    'ffffffffffffffffffffffffffffffffffffffffffffed304404202aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' +
    'aaaaaaaaaaaaaaaaaaaa984914a14404207b425ed097b425ed097b425ed097b425ed097b425ed097b4260b5e' +
    '9c7710c8640441042aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaad245a20ae19a1' +
    'b8a086b4e01edd2c7748d14c923d4d7e6d7c61b229e9c5a27eced3d902201000000000000000000000000000' +
    '000014def9dea2f79cd65812631a5cf5d3ed020108034200',
  'hex',
);
const WEIERSTRASS_SPKI_BYTES = 309;
/** The AlgorithmIdentifier alone (SPKI bytes 4..241), reused in PKCS#8. */
const WEIERSTRASS_ALGORITHM_ID = WEIERSTRASS_SPKI_PREFIX.subarray(4, 241);
/** Group order n = 2^252 + 27742317777372353535851937790883648493. */
const WEIERSTRASS_ORDER = (1n << 252n) + 0x14def9dea2f79cd65812631a5cf5d3edn;

const X25519_SPKI_PREFIX = Buffer.from('302a300506032b656e032100', 'hex');
const X25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b656e04220420', 'hex');
const X25519_SPKI_BYTES = 44;
const X25519_KEY_BYTES = 32;

// ---------------------------------------------------------------------------------------
// Keys

export type RandomSource = (size: number) => Buffer;

/**
 * A fresh key pair and nonce for /FI/request. `now` (an injected clock, never the wall
 * clock) sets `DHPublicKey.expiry` to now + 24 h in Rahasya's `yyyy-MM-dd'T'HH:mm:ss.SSS'Z'`.
 * Sends the `Curve25519` form unless told otherwise (aa.md §5.3 recommendation).
 */
export function generateFiKeyPair(
  now: Date,
  options: { curve?: FiCurve; random?: RandomSource; validityMs?: number } = {},
): FiKeyPair {
  const random = options.random ?? randomBytes;
  const curve = options.curve ?? 'Curve25519';
  if (Number.isNaN(now.getTime())) throw new TypeError('generateFiKeyPair: `now` is not a valid date');

  let privateKey: KeyObject;
  if (curve === 'Curve25519') {
    // d uniform in [1, n): 253 random bits, rejected when ≥ n (about half the time).
    let d: Buffer;
    for (;;) {
      d = Buffer.from(take(random, 32));
      d[0] = d[0]! & 0x1f;
      const v = BigInt('0x' + d.toString('hex'));
      if (v !== 0n && v < WEIERSTRASS_ORDER) break;
    }
    privateKey = fiPrivateKeyFromRaw('Curve25519', d);
  } else {
    privateKey = fiPrivateKeyFromRaw('X25519', take(random, X25519_KEY_BYTES));
  }
  const nonce = take(random, NONCE_BYTES).toString('base64');
  const spki = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
  const keyValue =
    curve === 'Curve25519'
      ? // Rahasya's armour: no line breaks.
        `-----BEGIN PUBLIC KEY-----${spki.toString('base64')}-----END PUBLIC KEY-----`
      : (createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }) as string);
  const expiry = new Date(now.getTime() + (options.validityMs ?? KEY_VALIDITY_MS)).toISOString();
  return {
    keyMaterial: {
      cryptoAlg: 'ECDH',
      curve,
      params: 'cipher=AES/GCM/NoPadding;KeyPairGenerator=ECDH',
      DHPublicKey: { expiry, Parameters: '', KeyValue: keyValue },
      Nonce: nonce,
    },
    curve,
    privateKey,
    nonce,
  };
}

/**
 * A private key from its raw 32 bytes: for `Curve25519` the big-endian scalar d (1 ≤ d < n),
 * for `X25519` the RFC 7748 scalar as written (clamped by X25519 itself).
 */
export function fiPrivateKeyFromRaw(curve: FiCurve, raw: Buffer): KeyObject {
  if (raw.length !== 32) throw new FiCryptoError('INVALID_KEY_LENGTH', `private key must be 32 bytes, got ${raw.length}`);
  if (curve === 'X25519') {
    return createPrivateKey({ key: Buffer.concat([X25519_PKCS8_PREFIX, raw]), format: 'der', type: 'pkcs8' });
  }
  const d = BigInt('0x' + raw.toString('hex'));
  if (d === 0n || d >= WEIERSTRASS_ORDER) throw new FiCryptoError('INVALID_KEY', 'private scalar is not in [1, n)');
  // PrivateKeyInfo { 0, AlgorithmIdentifier, OCTET STRING ECPrivateKey { 1, OCTET STRING d } }
  const ecPrivateKey = Buffer.concat([Buffer.from('30250201010420', 'hex'), raw]);
  const body = Buffer.concat([Buffer.from('020100', 'hex'), WEIERSTRASS_ALGORITHM_ID, Buffer.from('0427', 'hex'), ecPrivateKey]);
  const der = Buffer.concat([Buffer.from([0x30, 0x82, body.length >> 8, body.length & 0xff]), body]);
  return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
}

/** Which curve form a private key (ours) belongs to. */
export function fiCurveOf(key: KeyObject): FiCurve {
  if (key.asymmetricKeyType === 'x25519') return 'X25519';
  if (key.asymmetricKeyType === 'ec') {
    const spki = createPublicKey(key).export({ type: 'spki', format: 'der' });
    if (isWeierstrassSpki(spki)) return 'Curve25519';
  }
  throw new FiCryptoError('INVALID_KEY', 'our private key is neither a Curve25519 (Weierstrass) nor an X25519 key');
}

/**
 * Their `KeyValue` as a public key. Accepted: PEM (with or without line breaks) or bare
 * base64 of either SPKI; for X25519 also 64 hex characters, base64 of the raw 32 bytes, or an
 * OKP JWK (JSON). The key's own bytes decide the form; `curve` only has to be one of the two.
 */
export function parseFiPublicKey(keyValue: string): { curve: FiCurve; key: KeyObject } {
  const text = keyValue.trim();
  if (text.startsWith('{')) return { curve: 'X25519', key: x25519FromJwk(text) };
  const body = text
    .replace(/-----BEGIN [A-Z ]+-----/, '')
    .replace(/-----END [A-Z ]+-----/, '')
    .replace(/\s+/g, '');
  if (/^[0-9a-fA-F]{64}$/.test(body)) return { curve: 'X25519', key: x25519FromRaw(Buffer.from(body, 'hex')) };
  const der = decodeBase64(body, 'public key');
  if (der.length === X25519_KEY_BYTES) return { curve: 'X25519', key: x25519FromRaw(der) };
  if (der.length === X25519_SPKI_BYTES && der.subarray(0, X25519_SPKI_PREFIX.length).equals(X25519_SPKI_PREFIX)) {
    return { curve: 'X25519', key: importSpki(der) };
  }
  if (der.length === WEIERSTRASS_SPKI_BYTES && isWeierstrassSpki(der)) {
    const point = der.subarray(WEIERSTRASS_SPKI_PREFIX.length);
    if (point[0] !== 0x04) throw new FiCryptoError('INVALID_KEY', 'Curve25519 public point is not uncompressed');
    return { curve: 'Curve25519', key: importSpki(der) };
  }
  if (der[0] === 0x30) {
    throw new FiCryptoError(
      'INVALID_KEY_LENGTH',
      `public key is ${der.length} bytes: expected a ${WEIERSTRASS_SPKI_BYTES}-byte Curve25519 SPKI or a ${X25519_SPKI_BYTES}-byte X25519 SPKI`,
    );
  }
  throw new FiCryptoError('INVALID_KEY_LENGTH', `public key is ${der.length} bytes, not a 32-byte X25519 key or an SPKI`);
}

function isWeierstrassSpki(der: Buffer): boolean {
  return der.length === WEIERSTRASS_SPKI_BYTES && der.subarray(0, WEIERSTRASS_SPKI_PREFIX.length).equals(WEIERSTRASS_SPKI_PREFIX);
}

function importSpki(der: Buffer): KeyObject {
  try {
    return createPublicKey({ key: der, format: 'der', type: 'spki' });
  } catch (e) {
    throw new FiCryptoError('INVALID_KEY', `public key does not load (point not on the curve?): ${(e as Error).message}`);
  }
}

function x25519FromRaw(raw: Buffer): KeyObject {
  if (raw.length !== X25519_KEY_BYTES) throw new FiCryptoError('INVALID_KEY_LENGTH', `X25519 key must be 32 bytes, got ${raw.length}`);
  return importSpki(Buffer.concat([X25519_SPKI_PREFIX, raw]));
}

function x25519FromJwk(text: string): KeyObject {
  let jwk: unknown;
  try {
    jwk = JSON.parse(text);
  } catch {
    throw new FiCryptoError('INVALID_KEY', 'public key looks like a JWK but is not JSON');
  }
  const j = jwk as { kty?: unknown; crv?: unknown; x?: unknown };
  if (j.kty !== 'OKP' || j.crv !== 'X25519' || typeof j.x !== 'string') {
    throw new FiCryptoError('INVALID_KEY', 'JWK public key must be {"kty":"OKP","crv":"X25519","x":…}');
  }
  return x25519FromRaw(decodeBase64(j.x, 'JWK x'));
}

// ---------------------------------------------------------------------------------------
// The scheme

/** The GCM key and iv both sides derive (exported for oracle tests). */
export function deriveFiSessionKey(
  ourPrivateKey: KeyObject,
  ourNonce: string | Buffer,
  theirKeyMaterial: FiKeyMaterial,
): { key: Buffer; iv: Buffer; sharedSecret: Buffer } {
  const km = checkKeyMaterial(theirKeyMaterial);
  const ours = fiCurveOf(ourPrivateKey);
  const theirs = parseFiPublicKey(km.DHPublicKey.KeyValue);
  if (ours !== theirs.curve) {
    throw new FiCryptoError('CURVE_MISMATCH', `our key is ${ours} but theirs is ${theirs.curve}; the FIP must answer on our curve`);
  }
  let sharedSecret: Buffer;
  try {
    sharedSecret = diffieHellman({ privateKey: ourPrivateKey, publicKey: theirs.key });
  } catch (e) {
    throw new FiCryptoError('KEY_AGREEMENT_FAILED', `ECDH failed: ${(e as Error).message}`);
  }
  if (sharedSecret.length !== 32 || sharedSecret.every((b) => b === 0)) {
    throw new FiCryptoError('KEY_AGREEMENT_FAILED', 'ECDH gave a degenerate shared secret');
  }
  const a = nonceBytes(ourNonce, 'our nonce');
  const b = nonceBytes(km.Nonce, 'their nonce');
  const x = Buffer.alloc(NONCE_BYTES);
  for (let i = 0; i < NONCE_BYTES; i++) x[i] = a[i]! ^ b[i]!;
  const key = Buffer.from(hkdfSync('sha256', sharedSecret, x.subarray(0, SALT_BYTES), Buffer.alloc(0), 32));
  return { key, iv: x.subarray(SALT_BYTES, SALT_BYTES + IV_BYTES), sharedSecret };
}

/** `encryptedFI` (base64 ciphertext ‖ tag) to the plaintext bytes; throws `FiCryptoError`. */
export function decryptFi(
  encryptedFi: string,
  ourPrivateKey: KeyObject,
  ourNonce: string | Buffer,
  theirKeyMaterial: FiKeyMaterial,
): Buffer {
  if (typeof encryptedFi !== 'string') throw new FiCryptoError('INVALID_BASE64', 'encryptedFI must be a base64 string');
  const data = decodeBase64(encryptedFi, 'encryptedFI');
  if (data.length < TAG_BYTES) throw new FiCryptoError('CIPHERTEXT_TOO_SHORT', `encryptedFI is ${data.length} bytes, shorter than the GCM tag`);
  const { key, iv } = deriveFiSessionKey(ourPrivateKey, ourNonce, theirKeyMaterial);
  const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
  const head = decipher.update(data.subarray(0, data.length - TAG_BYTES));
  try {
    return Buffer.concat([head, decipher.final()]);
  } catch {
    throw new FiCryptoError('AUTHENTICATION_FAILED', 'encryptedFI failed GCM authentication (tampered, or wrong key or nonce)');
  }
}

/** The inverse of `decryptFi` (the FIP's side): base64(ciphertext ‖ tag). */
export function encryptFi(
  plaintext: Buffer | string,
  ourPrivateKey: KeyObject,
  ourNonce: string | Buffer,
  theirKeyMaterial: FiKeyMaterial,
): string {
  const { key, iv } = deriveFiSessionKey(ourPrivateKey, ourNonce, theirKeyMaterial);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  const body = Buffer.concat([cipher.update(typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext), cipher.final()]);
  return Buffer.concat([body, cipher.getAuthTag()]).toString('base64');
}

/**
 * aa.md §5.2 step 6: some implementations base64 the FI document before encrypting it. If
 * the decrypted bytes don't start (after whitespace/BOM) with `<` or `{` and are canonical
 * base64 of something that does, return the decoded document; otherwise return them as is.
 */
export function unwrapFiDocument(plaintext: Buffer): Buffer {
  const looksLikeDocument = (b: Buffer) => /^\uFEFF?\s*[<{[]/.test(b.subarray(0, 64).toString('utf8'));
  if (looksLikeDocument(plaintext)) return plaintext;
  try {
    const decoded = decodeBase64(plaintext.toString('latin1'), 'FI document');
    if (looksLikeDocument(decoded)) return decoded;
  } catch {
    // not base64: keep the bytes
  }
  return plaintext;
}

// ---------------------------------------------------------------------------------------
// Input checks

function checkKeyMaterial(km: FiKeyMaterial): FiKeyMaterial {
  if (typeof km !== 'object' || km === null) throw new FiCryptoError('INVALID_KEY_MATERIAL', 'KeyMaterial is not an object');
  const alg = typeof km.cryptoAlg === 'string' ? km.cryptoAlg.toUpperCase() : '';
  if (alg !== 'ECDH' && alg !== 'X25519') {
    throw new FiCryptoError('INVALID_KEY_MATERIAL', `KeyMaterial.cryptoAlg ${JSON.stringify(km.cryptoAlg)} is not ECDH`);
  }
  const curve = typeof km.curve === 'string' ? km.curve.toUpperCase() : undefined;
  // Rahasya's X25519 form sends cryptoAlg "X25519" with an empty curve.
  if (curve !== 'CURVE25519' && curve !== 'X25519' && !(alg === 'X25519' && (curve === '' || curve === undefined))) {
    throw new FiCryptoError('INVALID_KEY_MATERIAL', `KeyMaterial.curve ${JSON.stringify(km.curve)} is neither Curve25519 nor X25519`);
  }
  if (typeof km.DHPublicKey !== 'object' || km.DHPublicKey === null || typeof km.DHPublicKey.KeyValue !== 'string' || km.DHPublicKey.KeyValue === '') {
    throw new FiCryptoError('INVALID_KEY_MATERIAL', 'KeyMaterial.DHPublicKey.KeyValue is missing');
  }
  if (typeof km.Nonce !== 'string' || km.Nonce === '') throw new FiCryptoError('INVALID_KEY_MATERIAL', 'KeyMaterial.Nonce is missing');
  return km;
}

function nonceBytes(nonce: string | Buffer, what: string): Buffer {
  const b = typeof nonce === 'string' ? decodeBase64(nonce, what) : nonce;
  if (b.length !== NONCE_BYTES) throw new FiCryptoError('INVALID_NONCE', `${what} is ${b.length} bytes, must be ${NONCE_BYTES}`);
  return b;
}

/**
 * Strict base64: standard or URL-safe alphabet (not mixed), padding optional, whitespace
 * (MIME line breaks) ignored, and the text must be the canonical encoding of its bytes.
 */
function decodeBase64(text: string, what: string): Buffer {
  let s = text.replace(/\s+/g, '');
  if (/[-_]/.test(s)) {
    if (/[+/]/.test(s)) throw new FiCryptoError('INVALID_BASE64', `${what} mixes base64 alphabets`);
    s = s.replace(/-/g, '+').replace(/_/g, '/');
  }
  const unpadded = s.replace(/={1,2}$/, '');
  if (!/^[A-Za-z0-9+/]*$/.test(unpadded) || unpadded.length % 4 === 1 || (s !== unpadded && s.length % 4 !== 0)) {
    throw new FiCryptoError('INVALID_BASE64', `${what} is not base64`);
  }
  const bytes = Buffer.from(unpadded, 'base64');
  if (bytes.toString('base64').replace(/=+$/, '') !== unpadded) throw new FiCryptoError('INVALID_BASE64', `${what} is not canonical base64`);
  return bytes;
}

function take(random: RandomSource, size: number): Buffer {
  const b = random(size);
  if (!Buffer.isBuffer(b) || b.length !== size) throw new TypeError(`random source returned ${Buffer.isBuffer(b) ? b.length : typeof b} bytes, wanted ${size}`);
  return b;
}
