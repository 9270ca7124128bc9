/**
 * The standard security handler (PDF 32000-2, 7.6.4), for the lean text reader: checks a
 * password the way pdfjs checks it (the user password, then the owner password; the empty user
 * password when none is given) and decrypts streams (RC4, AES-128, AES-256). Strings are never
 * decrypted: the lean reader reads no text from object strings.
 *
 * It only ever opens what pdfjs would open with the same password. Anything else (no password
 * that works, a password outside printable ASCII, another security handler, an unusual crypt
 * filter) is `Unsupported`, so that pdfjs opens the file and reports PASSWORD_INCORRECT or its
 * other errors exactly as before.
 */
import { createCipheriv, createDecipheriv, createHash } from 'node:crypto';
import { Dict, Name, Unsupported, type PdfFile, type PdfValue } from './objects.ts';

/** Decrypts the raw data of the stream that is object `num gen`. */
export type StreamDecryptor = (data: Uint8Array, num: number, gen: number) => Uint8Array;

const PADDING = Buffer.from([
  0x28, 0xbf, 0x4e, 0x5e, 0x4e, 0x75, 0x8a, 0x41, 0x64, 0x00, 0x4e, 0x56, 0xff, 0xfa, 0x01, 0x08, 0x2e, 0x2e, 0x00, 0xb6, 0xd0, 0x68, 0x3e, 0x80, 0x2f, 0x0c,
  0xa9, 0xfe, 0x64, 0x53, 0x69, 0x7a,
]);

function md5(...parts: Uint8Array[]): Buffer {
  const h = createHash('md5');
  for (const p of parts) h.update(p);
  return h.digest();
}

function rc4(key: Uint8Array, data: Uint8Array): Buffer {
  const s = new Uint8Array(256);
  for (let i = 0; i < 256; i++) s[i] = i;
  for (let i = 0, j = 0; i < 256; i++) {
    j = (j + s[i]! + key[i % key.length]!) & 255;
    [s[i], s[j]] = [s[j]!, s[i]!];
  }
  const out = Buffer.alloc(data.length);
  for (let k = 0, i = 0, j = 0; k < data.length; k++) {
    i = (i + 1) & 255;
    j = (j + s[i]!) & 255;
    [s[i], s[j]] = [s[j]!, s[i]!];
    out[k] = data[k]! ^ s[(s[i]! + s[j]!) & 255]!;
  }
  return out;
}

/** `pw` padded or cut to 32 bytes with the standard padding. */
function padded(pw: Uint8Array): Buffer {
  const out = Buffer.alloc(32);
  const n = Math.min(32, pw.length);
  out.set(pw.subarray(0, n));
  out.set(PADDING.subarray(0, 32 - n), n);
  return out;
}

function bytes(v: PdfValue | undefined, what: string): Buffer {
  if (typeof v !== 'string') throw new Unsupported(`encryption: ${what} is not a string`);
  return Buffer.from(v, 'latin1');
}

/** Algorithms 2 and 4/5 (revisions 2–4): the file key if `pw` is the user password, else null. */
function userKeyR2R4(pw: Uint8Array, o: Buffer, u: Buffer, p: number, id: Buffer, r: number, keyBytes: number, encryptMetadata: boolean): Buffer | null {
  const perms = Buffer.alloc(4);
  perms.writeInt32LE(p | 0);
  let hash = md5(padded(pw), o, perms, id, r >= 4 && !encryptMetadata ? Buffer.from([255, 255, 255, 255]) : Buffer.alloc(0));
  if (r >= 3) for (let i = 0; i < 50; i++) hash = md5(hash.subarray(0, keyBytes));
  const key = hash.subarray(0, keyBytes);
  let check: Buffer;
  if (r >= 3) {
    check = rc4(key, md5(PADDING, id));
    for (let i = 1; i <= 19; i++) check = rc4(key.map((b) => b ^ i), check);
  } else {
    check = rc4(key, PADDING);
  }
  return check.every((b, i) => u[i] === b) ? key : null;
}

/** Algorithm 7: the user password an owner password `pw` unlocks (revisions 2–4). */
function userPasswordFromOwner(pw: Uint8Array, o: Buffer, r: number, keyBytes: number): Buffer {
  let hash = md5(padded(pw));
  if (r >= 3) for (let i = 0; i < 50; i++) hash = md5(hash);
  if (r < 3) return rc4(hash.subarray(0, keyBytes), o);
  let out: Buffer = o;
  for (let i = 19; i >= 0; i--) out = rc4(hash.subarray(0, keyBytes).map((b) => b ^ i), out);
  return out;
}

/** The revision 5 hash (SHA-256), or revision 6's (algorithm 2.B); pdfjs uses the latter for R 6 only. */
function hashR5R6(r: number, pw: Uint8Array, salted: Uint8Array, userData: Uint8Array): Buffer {
  let k = createHash('sha256').update(salted).digest();
  if (r !== 6) return k;
  let e: Buffer = Buffer.alloc(0);
  for (let round = 0; round < 64 || e[e.length - 1]! > round - 32; ) {
    const block = Buffer.concat([pw, k, userData]);
    const repeated = Buffer.concat(Array.from({ length: 64 }, () => block));
    const cipher = createCipheriv('aes-128-cbc', k.subarray(0, 16), k.subarray(16, 32)).setAutoPadding(false);
    e = Buffer.concat([cipher.update(repeated), cipher.final()]);
    let sum = 0;
    for (let i = 0; i < 16; i++) sum += e[i]!;
    k = createHash(['sha256', 'sha384', 'sha512'][sum % 3]!).update(e).digest();
    round++;
  }
  return k.subarray(0, 32);
}

function aes256NoPadding(key: Uint8Array, data: Uint8Array): Buffer {
  const d = createDecipheriv('aes-256-cbc', key, Buffer.alloc(16)).setAutoPadding(false);
  return Buffer.concat([d.update(data), d.final()]);
}

/** Revisions 5 and 6: the file key for `pw` as the user, else the owner password, else null. */
function keyR5R6(r: number, pw: Uint8Array, dict: Dict, o: Buffer, u: Buffer, file: PdfFile): Buffer | null {
  if (o.length < 48 || u.length < 48) throw new Unsupported('encryption: short O or U');
  const p = pw.subarray(0, Math.min(127, pw.length));
  if (hashR5R6(r, p, Buffer.concat([p, u.subarray(32, 40)]), Buffer.alloc(0)).equals(u.subarray(0, 32))) {
    return aes256NoPadding(hashR5R6(r, p, Buffer.concat([p, u.subarray(40, 48)]), Buffer.alloc(0)), bytes(file.get(dict, 'UE'), 'UE'));
  }
  const u48 = u.subarray(0, 48);
  if (p.length > 0 && hashR5R6(r, p, Buffer.concat([p, o.subarray(32, 40), u48]), u48).equals(o.subarray(0, 32))) {
    return aes256NoPadding(hashR5R6(r, p, Buffer.concat([p, o.subarray(40, 48), u48]), u48), bytes(file.get(dict, 'OE'), 'OE'));
  }
  return null;
}

/**
 * The stream decryptor for `file`'s /Encrypt dictionary opened with `password` (or none), as
 * pdfjs would open it; `Unsupported` when pdfjs would not open it so, or would decrypt differently.
 */
export function standardDecryptor(file: PdfFile, encrypt: PdfValue | undefined, password: string | undefined): StreamDecryptor {
  const dict = file.resolve(encrypt);
  if (!(dict instanceof Dict)) throw new Unsupported('encryption: no dictionary');
  const filter = file.get(dict, 'Filter');
  if (!(filter instanceof Name) || filter.name !== 'Standard') throw new Unsupported('encryption: not the standard handler');
  if (password !== undefined && !/^[\x20-\x7e]*$/.test(password)) throw new Unsupported('encryption: password outside printable ASCII');
  const v = file.get(dict, 'V');
  const r = file.get(dict, 'R');
  if ((v !== 1 && v !== 2 && v !== 4 && v !== 5) || typeof r !== 'number' || r < 2 || r > 6) throw new Unsupported('encryption: version');

  // The crypt filter for streams (V4, V5): the method and, without /Length, the key length.
  let method: 'RC4' | 'AESV2' | 'AESV3' | 'None' = 'RC4';
  let filterLength: PdfValue | undefined;
  let filterFound = false;
  if (v === 4 || v === 5) {
    const stmF = file.get(dict, 'StmF') ?? null;
    const cf = file.get(dict, 'CF');
    filterFound = stmF instanceof Name && cf instanceof Dict;
    const entry = stmF instanceof Name && cf instanceof Dict ? file.get(cf, stmF.name) : undefined;
    if (entry !== undefined && !(entry instanceof Dict)) throw new Unsupported('encryption: bad crypt filter');
    const cfm = entry ? file.get(entry, 'CFM') : undefined;
    if (cfm === undefined || (cfm instanceof Name && cfm.name === 'None')) method = 'None';
    else if (cfm instanceof Name && cfm.name === 'V2') method = 'RC4';
    else if (cfm instanceof Name && (cfm.name === 'AESV2' || cfm.name === 'AESV3')) method = cfm.name;
    else throw new Unsupported('encryption: crypt filter method');
    filterLength = entry ? file.get(entry, 'Length') : undefined;
    if (file.get(dict, 'EFF') !== undefined) throw new Unsupported('encryption: EFF');
  }
  let length = file.get(dict, 'Length');
  if (!length) {
    if (v <= 3) {
      length = 40;
    } else {
      // pdfjs fails on a file whose key length it cannot find.
      if (!filterFound) throw new Unsupported('encryption: no key length');
      length = typeof filterLength === 'number' && filterLength ? filterLength : 128;
      if (length < 40) length <<= 3;
    }
  }
  if (typeof length !== 'number' || !Number.isInteger(length) || length < 40 || length % 8 !== 0) throw new Unsupported('encryption: key length');

  const o = bytes(file.get(dict, 'O'), 'O');
  const u = bytes(file.get(dict, 'U'), 'U');
  const pw = Buffer.from(password ?? '', 'latin1');
  let key: Buffer | null;
  if (v === 5) {
    key = keyR5R6(r, pw, dict, o, u, file);
  } else {
    const p = file.get(dict, 'P');
    if (typeof p !== 'number') throw new Unsupported('encryption: /P');
    const idArray = file.get(file.trailer, 'ID');
    const id = Array.isArray(idArray) && idArray.length > 0 ? bytes(file.resolve(idArray[0]), 'ID') : Buffer.alloc(0);
    const encryptMetadata = v === 4 && file.get(dict, 'EncryptMetadata') !== false;
    const keyBytes = length >> 3;
    const o32 = o.subarray(0, 32);
    const u32 = u.subarray(0, 32);
    key = userKeyR2R4(pw, o32, u32, p, id, r, keyBytes, encryptMetadata);
    if (!key && pw.length > 0) key = userKeyR2R4(userPasswordFromOwner(pw, o32, r, keyBytes), o32, u32, p, id, r, keyBytes, encryptMetadata);
  }
  // pdfjs would refuse the password (or ask for one): it reports that, not the lean reader.
  if (!key) throw new Unsupported('encryption: password not accepted');
  const fileKey = v === 4 && key.length < 16 ? Buffer.concat([key, Buffer.alloc(16 - key.length)]) : key;

  const objectKey = (num: number, gen: number, salt: boolean) =>
    md5(fileKey, Buffer.from([num & 255, (num >> 8) & 255, (num >> 16) & 255, gen & 255, (gen >> 8) & 255]), salt ? Buffer.from('sAlT') : Buffer.alloc(0)).subarray(
      0,
      Math.min(fileKey.length + 5, 16),
    );
  const aes = (algorithm: string, k: Uint8Array, data: Uint8Array): Buffer => {
    if (data.length < 32 || data.length % 16 !== 0) throw new Unsupported('encryption: AES data length');
    try {
      const d = createDecipheriv(algorithm, k, data.subarray(0, 16));
      return Buffer.concat([d.update(data.subarray(16)), d.final()]);
    } catch {
      // Bad padding: pdfjs keeps whatever it can; leave the file to it.
      throw new Unsupported('encryption: AES padding');
    }
  };
  switch (method) {
    case 'None':
      return (data) => data;
    case 'RC4':
      return (data, num, gen) => rc4(objectKey(num, gen, false), data);
    case 'AESV2':
      return (data, num, gen) => aes('aes-128-cbc', objectKey(num, gen, true), data);
    case 'AESV3':
      if (fileKey.length !== 32) throw new Unsupported('encryption: AES-256 key length');
      return (data) => aes('aes-256-cbc', fileKey, data);
  }
}
