/**
 * Detached JWS for the ReBIT NBFC-AA API 2.x (`x-jws-signature`; ../shared/reference/aa.md §2).
 *
 * Every FIU↔AA request, response and notification carries `x-jws-signature`: a compact JWS
 * with an empty payload segment, `BASE64URL(header) + ".." + BASE64URL(signature)`, signed over
 * the exact HTTP body bytes. The profile (Sahamati security standards, Annexure B) is RFC 7797's
 * unencoded payload:
 *
 *   header        {"alg":"RS256","kid":"<key id>","b64":false,"crit":["b64"]}
 *   signing input ASCII(BASE64URL(header)) || "." || <raw body bytes>
 *
 * Signing and verification are done by `jose` (the maintained JOSE library). Verification is
 * liberal in what it accepts, as aa.md asks, but only over the body it is given:
 * - `b64:false` with `crit:["b64"]` (what we send);
 * - `b64:true` or no `b64` (older Setu-style detached JWS over BASE64URL(body));
 * - `b64:false` without `crit` (RFC 7797 says `crit` is required, but aa.md calls it optional;
 *   jose then ignores `b64`, so that one case is checked with node:crypto over the raw bytes).
 * It refuses: a missing header, anything that is not `<header>..<signature>` (including an
 * attached JWS with a payload segment), `alg` other than RS256/PS256/ES256 or not allowed for
 * the key (`none`, HS256 with the public key as secret), a `kid` that names another key, unknown
 * critical extensions, and a signature that does not match these exact bytes.
 *
 * Every failure raises an `AaSignatureError` with a code.
 */
import {
  constants,
  createPrivateKey,
  createPublicKey,
  verify as nodeVerify,
  X509Certificate,
  type JsonWebKey,
  type KeyObject,
} from 'node:crypto';
import { calculateJwkThumbprint, errors as joseErrors, FlattenedSign, flattenedVerify } from 'jose';

export type AaJwsAlgorithm = 'RS256' | 'PS256' | 'ES256';

export const AA_JWS_ALGORITHMS: readonly AaJwsAlgorithm[] = ['RS256', 'PS256', 'ES256'];

export type AaSignatureErrorCode =
  | 'INVALID_KEY' // the key text is not a usable key of the expected kind (private / public)
  | 'INVALID_SIGNATURE' // malformed header value, wrong kid, or the signature does not match
  | 'SIGNATURE_MISSING' // no x-jws-signature header
  | 'UNSUPPORTED_ALGORITHM'; // alg is not RS256/PS256/ES256, or not one the key allows

export class AaSignatureError extends Error {
  readonly code: AaSignatureErrorCode;
  constructor(code: AaSignatureErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AaSignatureError';
    this.code = code;
  }
}

/** The FIU's private key (FIU_SIGNING_KEY). */
export interface AaSigningKey {
  /** the algorithm every signature is made with */
  readonly alg: AaJwsAlgorithm;
  /** the `kid` put in every header: the JWK's `kid`, the one given, or the RFC 7638 thumbprint */
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

/** The AA's public key (AA_PUBLIC_KEY). */
export interface AaVerifyKey {
  /** the algorithms a signature may use: the JWK's `alg`, else RS256 and PS256 for RSA, ES256 for P-256 */
  readonly algorithms: readonly AaJwsAlgorithm[];
  /** when set, a header `kid` must equal it (a header without `kid` is accepted) */
  readonly kid?: string;
  readonly publicKey: KeyObject;
}

export interface LoadKeyOptions {
  /** the key id, when the key text has none (PEM) or to override the JWK's */
  kid?: string;
}

const MIN_RSA_BITS = 2048;

// ---------------------------------------------------------------------------------------
// Keys
// ---------------------------------------------------------------------------------------

/** Environment variables often hold PEM with literal `\n`; JSON may come with a BOM or spaces. */
function normaliseKeyText(text: string): string {
  let t = text.replace(/^\uFEFF/, '').trim();
  if (t.includes('-----BEGIN') && !t.includes('\n') && t.includes('\\n')) t = t.replace(/(\\r)?\\n/g, '\n');
  return t;
}

function parseJwkText(text: string): JsonWebKey {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw new AaSignatureError('INVALID_KEY', 'key text starts with "{" but is not JSON', { cause });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new AaSignatureError('INVALID_KEY', 'a JWK must be a JSON object');
  }
  const obj = parsed as Record<string, unknown>;
  if (Array.isArray(obj['keys'])) {
    // a JWKS holding exactly one key (as a registry may publish it)
    const keys = obj['keys'] as unknown[];
    const first = keys[0];
    if (keys.length !== 1 || typeof first !== 'object' || first === null) {
      throw new AaSignatureError('INVALID_KEY', `a JWK set must hold exactly one key, it holds ${keys.length}`);
    }
    return first as JsonWebKey;
  }
  return obj;
}

function checkJwkAlg(jwk: JsonWebKey): AaJwsAlgorithm | undefined {
  const use: unknown = (jwk as Record<string, unknown>)['use'];
  if (use !== undefined && use !== 'sig') throw new AaSignatureError('INVALID_KEY', `JWK "use" is ${JSON.stringify(use)}, not "sig"`);
  const alg: unknown = (jwk as Record<string, unknown>)['alg'];
  if (alg === undefined) return undefined;
  if (typeof alg !== 'string' || !(AA_JWS_ALGORITHMS as readonly string[]).includes(alg)) {
    throw new AaSignatureError('UNSUPPORTED_ALGORITHM', `JWK "alg" ${JSON.stringify(alg)} is not one of ${AA_JWS_ALGORITHMS.join(', ')}`);
  }
  return alg as AaJwsAlgorithm;
}

/** The algorithms a key can serve, checked against a JWK `alg` when there is one. */
function algorithmsFor(key: KeyObject, jwkAlg: AaJwsAlgorithm | undefined): AaJwsAlgorithm[] {
  const type = key.asymmetricKeyType;
  let possible: AaJwsAlgorithm[];
  if (type === 'rsa' || type === 'rsa-pss') {
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    if (bits < MIN_RSA_BITS) throw new AaSignatureError('INVALID_KEY', `RSA key of ${bits} bits; at least ${MIN_RSA_BITS} are required`);
    possible = type === 'rsa' ? ['RS256', 'PS256'] : ['PS256'];
  } else if (type === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    if (curve !== 'prime256v1') {
      throw new AaSignatureError('UNSUPPORTED_ALGORITHM', `EC key on ${curve ?? 'an unnamed curve'}; only P-256 (ES256) is supported`);
    }
    possible = ['ES256'];
  } else {
    throw new AaSignatureError('UNSUPPORTED_ALGORITHM', `a ${type ?? 'symmetric'} key cannot sign RS256, PS256 or ES256`);
  }
  if (jwkAlg === undefined) return possible;
  if (!possible.includes(jwkAlg)) throw new AaSignatureError('UNSUPPORTED_ALGORITHM', `JWK "alg" ${jwkAlg} does not fit a ${type} key`);
  return [jwkAlg];
}

function kidOf(jwk: JsonWebKey | undefined, options: LoadKeyOptions | undefined): string | undefined {
  if (options?.kid !== undefined) {
    if (options.kid === '') throw new AaSignatureError('INVALID_KEY', 'kid must not be empty');
    return options.kid;
  }
  const kid: unknown = jwk ? (jwk as Record<string, unknown>)['kid'] : undefined;
  if (kid === undefined) return undefined;
  if (typeof kid !== 'string' || kid === '') throw new AaSignatureError('INVALID_KEY', 'JWK "kid" must be a non-empty string');
  return kid;
}

function rejectSymmetricJwk(jwk: JsonWebKey): void {
  if (jwk.kty === 'oct') throw new AaSignatureError('UNSUPPORTED_ALGORITHM', 'a symmetric (oct) JWK cannot be used: only RS256, PS256 and ES256');
  if (jwk.kty === undefined) throw new AaSignatureError('INVALID_KEY', 'JWK has no "kty"');
}

/**
 * The FIU's signing key from FIU_SIGNING_KEY: a private JWK (JSON, or a JWK set of one key) or a
 * PEM private key (PKCS#8; PKCS#1 and SEC1 are accepted too). RSA signs RS256 (what ReBIT AAs
 * use) unless the JWK says PS256; P-256 signs ES256. Anything else is refused.
 */
export async function loadSigningKey(text: string, options?: LoadKeyOptions): Promise<AaSigningKey> {
  const t = normaliseKeyText(text);
  if (t === '') throw new AaSignatureError('INVALID_KEY', 'signing key is empty');
  let privateKey: KeyObject;
  let jwk: JsonWebKey | undefined;
  if (t.startsWith('{')) {
    jwk = parseJwkText(t);
    rejectSymmetricJwk(jwk);
    if (jwk.d === undefined) throw new AaSignatureError('INVALID_KEY', 'the JWK is a public key; FIU_SIGNING_KEY must be a private key');
    try {
      privateKey = createPrivateKey({ key: jwk, format: 'jwk' });
    } catch (cause) {
      throw new AaSignatureError('INVALID_KEY', `not a usable private JWK: ${(cause as Error).message}`, { cause });
    }
  } else if (t.startsWith('-----BEGIN')) {
    if (!/-----BEGIN (RSA |EC |ENCRYPTED )?PRIVATE KEY-----/.test(t)) {
      throw new AaSignatureError('INVALID_KEY', 'the PEM is not a private key; FIU_SIGNING_KEY must be a PKCS#8 private key');
    }
    if (t.includes('ENCRYPTED PRIVATE KEY')) throw new AaSignatureError('INVALID_KEY', 'encrypted private keys are not supported');
    try {
      privateKey = createPrivateKey({ key: t, format: 'pem' });
    } catch (cause) {
      throw new AaSignatureError('INVALID_KEY', `not a usable PEM private key: ${(cause as Error).message}`, { cause });
    }
  } else {
    throw new AaSignatureError('INVALID_KEY', 'signing key must be a JWK (JSON) or a PEM private key');
  }
  const jwkAlg = jwk ? checkJwkAlg(jwk) : undefined;
  const alg = algorithmsFor(privateKey, jwkAlg)[0] as AaJwsAlgorithm;
  const publicKey = createPublicKey(privateKey);
  const kid = kidOf(jwk, options) ?? (await calculateJwkThumbprint(publicKey.export({ format: 'jwk' })));
  return { alg, kid, privateKey, publicKey };
}

/**
 * The AA's public key from AA_PUBLIC_KEY: a public JWK (or a JWK set of one key), a PEM public
 * key (SPKI, or PKCS#1 RSA) or a PEM X.509 certificate. A private key is refused (it does not
 * belong in that variable).
 */
export async function loadVerifyKey(text: string, options?: LoadKeyOptions): Promise<AaVerifyKey> {
  const t = normaliseKeyText(text);
  if (t === '') throw new AaSignatureError('INVALID_KEY', 'verification key is empty');
  let publicKey: KeyObject;
  let jwk: JsonWebKey | undefined;
  if (t.startsWith('{')) {
    jwk = parseJwkText(t);
    rejectSymmetricJwk(jwk);
    if (jwk.d !== undefined) throw new AaSignatureError('INVALID_KEY', 'the JWK is a private key; AA_PUBLIC_KEY must be a public key');
    try {
      publicKey = createPublicKey({ key: jwk, format: 'jwk' });
    } catch (cause) {
      throw new AaSignatureError('INVALID_KEY', `not a usable public JWK: ${(cause as Error).message}`, { cause });
    }
  } else if (t.startsWith('-----BEGIN CERTIFICATE-----')) {
    try {
      publicKey = new X509Certificate(t).publicKey;
    } catch (cause) {
      throw new AaSignatureError('INVALID_KEY', `not a usable PEM certificate: ${(cause as Error).message}`, { cause });
    }
  } else if (/^-----BEGIN (RSA )?PUBLIC KEY-----/.test(t)) {
    try {
      publicKey = createPublicKey({ key: t, format: 'pem' });
    } catch (cause) {
      throw new AaSignatureError('INVALID_KEY', `not a usable PEM public key: ${(cause as Error).message}`, { cause });
    }
  } else if (t.startsWith('-----BEGIN')) {
    throw new AaSignatureError('INVALID_KEY', 'the PEM is not a public key or certificate; AA_PUBLIC_KEY must be a public key');
  } else {
    throw new AaSignatureError('INVALID_KEY', 'verification key must be a JWK (JSON), a PEM public key or a PEM certificate');
  }
  const algorithms = algorithmsFor(publicKey, jwk ? checkJwkAlg(jwk) : undefined);
  const kid = kidOf(jwk, options);
  return kid === undefined ? { algorithms, publicKey } : { algorithms, kid, publicKey };
}

// ---------------------------------------------------------------------------------------
// Sign / verify
// ---------------------------------------------------------------------------------------

const bytesOf = (body: string | Uint8Array): Uint8Array =>
  typeof body === 'string' ? new Uint8Array(Buffer.from(body, 'utf8')) : new Uint8Array(body);

/**
 * `x-jws-signature` for a body: `BASE64URL({"alg","kid","b64":false,"crit":["b64"]}) + ".." +
 * BASE64URL(signature over header "." raw body bytes)`. Sign the exact bytes that are sent:
 * serialise the body once and pass that string or buffer here and to the HTTP client.
 */
export async function signDetached(body: string | Uint8Array, key: AaSigningKey): Promise<string> {
  const jws = await new FlattenedSign(bytesOf(body))
    .setProtectedHeader({ alg: key.alg, kid: key.kid, b64: false, crit: ['b64'] })
    .sign(key.privateKey);
  if (jws.protected === undefined) throw new Error('jose produced no protected header');
  return `${jws.protected}..${jws.signature}`;
}

const B64URL = /^[A-Za-z0-9_-]+$/;

interface ParsedHeader {
  alg: string;
  kid?: string;
  b64: boolean;
  critB64: boolean;
}

function parseProtectedHeader(encoded: string): ParsedHeader {
  let header: unknown;
  try {
    header = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
  } catch (cause) {
    throw new AaSignatureError('INVALID_SIGNATURE', 'x-jws-signature: the protected header is not base64url JSON', { cause });
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    throw new AaSignatureError('INVALID_SIGNATURE', 'x-jws-signature: the protected header is not a JSON object');
  }
  const h = header as Record<string, unknown>;
  const alg = h['alg'];
  if (typeof alg !== 'string' || alg === '') throw new AaSignatureError('INVALID_SIGNATURE', 'x-jws-signature: no "alg" in the header');
  if (h['kid'] !== undefined && typeof h['kid'] !== 'string') throw new AaSignatureError('INVALID_SIGNATURE', 'x-jws-signature: "kid" is not a string');
  if (h['b64'] !== undefined && typeof h['b64'] !== 'boolean') throw new AaSignatureError('INVALID_SIGNATURE', 'x-jws-signature: "b64" is not a boolean');
  const crit = h['crit'];
  let critB64 = false;
  if (crit !== undefined) {
    if (!Array.isArray(crit) || crit.length === 0 || crit.some((c) => typeof c !== 'string')) {
      throw new AaSignatureError('INVALID_SIGNATURE', 'x-jws-signature: "crit" is not a non-empty array of strings');
    }
    const unknown = crit.filter((c) => c !== 'b64');
    if (unknown.length > 0) throw new AaSignatureError('INVALID_SIGNATURE', `x-jws-signature: unknown critical extension ${JSON.stringify(unknown)}`);
    critB64 = true;
  }
  const out: ParsedHeader = { alg, b64: h['b64'] !== false, critB64 };
  if (typeof h['kid'] === 'string') out.kid = h['kid'];
  return out;
}

/** Node's own check, for `b64:false` without `crit` (jose reads such a header as b64:true). */
function verifyUnencodedWithNode(alg: AaJwsAlgorithm, encodedHeader: string, body: Uint8Array, signature: string, key: KeyObject): boolean {
  const input = Buffer.concat([Buffer.from(`${encodedHeader}.`, 'ascii'), body]);
  const sig = Buffer.from(signature, 'base64url');
  try {
    if (alg === 'RS256') return nodeVerify('sha256', input, key, sig);
    if (alg === 'PS256') return nodeVerify('sha256', input, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }, sig);
    return nodeVerify('sha256', input, { key, dsaEncoding: 'ieee-p1363' }, sig);
  } catch {
    return false;
  }
}

/**
 * Checks `x-jws-signature` against the exact body bytes received. Resolves when the signature
 * is good; throws an `AaSignatureError` otherwise:
 * - SIGNATURE_MISSING: no header, or an empty one;
 * - INVALID_SIGNATURE: not `<header>..<signature>` (an attached JWS included), bad header JSON,
 *   unknown `crit`, a `kid` other than the key's, or a signature that does not match;
 * - UNSUPPORTED_ALGORITHM: `alg` is not RS256/PS256/ES256 or not one the key allows.
 */
export async function verifyDetached(headerValue: string | undefined, body: string | Uint8Array, key: AaVerifyKey): Promise<void> {
  const value = headerValue?.trim();
  if (value === undefined || value === '') throw new AaSignatureError('SIGNATURE_MISSING', 'no x-jws-signature header');
  const parts = value.split('.');
  if (parts.length !== 3) throw new AaSignatureError('INVALID_SIGNATURE', `x-jws-signature has ${parts.length} parts, not 3`);
  const [encodedHeader, payload, signature] = parts as [string, string, string];
  if (payload !== '') throw new AaSignatureError('INVALID_SIGNATURE', 'x-jws-signature is an attached JWS; a detached one ("<header>..<signature>") is required');
  if (!B64URL.test(encodedHeader)) throw new AaSignatureError('INVALID_SIGNATURE', 'x-jws-signature: the header is not base64url');
  const header = parseProtectedHeader(encodedHeader);
  if (!(AA_JWS_ALGORITHMS as readonly string[]).includes(header.alg)) {
    throw new AaSignatureError('UNSUPPORTED_ALGORITHM', `x-jws-signature: alg ${JSON.stringify(header.alg)} is refused; only ${AA_JWS_ALGORITHMS.join(', ')}`);
  }
  const alg = header.alg as AaJwsAlgorithm;
  if (!key.algorithms.includes(alg)) {
    throw new AaSignatureError('UNSUPPORTED_ALGORITHM', `x-jws-signature: alg ${alg} is not allowed for this key (${key.algorithms.join(', ')})`);
  }
  if (header.kid !== undefined && key.kid !== undefined && header.kid !== key.kid) {
    throw new AaSignatureError('INVALID_SIGNATURE', `x-jws-signature: kid ${JSON.stringify(header.kid)} is not the key's (${JSON.stringify(key.kid)})`);
  }
  if (!B64URL.test(signature)) throw new AaSignatureError('INVALID_SIGNATURE', 'x-jws-signature: the signature is empty or not base64url');
  const bytes = bytesOf(body);

  if (!header.b64 && !header.critB64) {
    if (!verifyUnencodedWithNode(alg, encodedHeader, bytes, signature, key.publicKey)) {
      throw new AaSignatureError('INVALID_SIGNATURE', 'x-jws-signature does not match the body');
    }
    return;
  }
  try {
    await flattenedVerify(
      { protected: encodedHeader, payload: header.b64 ? Buffer.from(bytes).toString('base64url') : bytes, signature },
      key.publicKey,
      { algorithms: [alg] },
    );
  } catch (cause) {
    if (cause instanceof joseErrors.JWSSignatureVerificationFailed) {
      throw new AaSignatureError('INVALID_SIGNATURE', 'x-jws-signature does not match the body', { cause });
    }
    if (cause instanceof joseErrors.JOSEAlgNotAllowed || cause instanceof joseErrors.JOSENotSupported) {
      throw new AaSignatureError('UNSUPPORTED_ALGORITHM', `x-jws-signature: ${(cause as Error).message}`, { cause });
    }
    if (cause instanceof joseErrors.JOSEError) {
      throw new AaSignatureError('INVALID_SIGNATURE', `x-jws-signature: ${cause.message}`, { cause });
    }
    throw cause;
  }
}
