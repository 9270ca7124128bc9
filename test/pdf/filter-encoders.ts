/** Stream filter encoders for the reader's tests, written from the specification (PDF 32000-1, 7.4), not from the decoders. */

/** ASCIIHex in upper case, 64 digits a line, ending in `>`. */
export function asciiHex(data: Buffer): Buffer {
  // Line breaks and mixed case, as some producers write them; an odd digit count ends the data.
  const hex = data.toString('hex').toUpperCase();
  return Buffer.from(`${hex.replace(/(.{64})/g, '$1\n')}>`);
}

/** ASCII85 as a PDF writer encodes it (with `z` for four zeros), 75 characters a line, ending in `~>`. */
export function ascii85(data: Buffer): Buffer {
  let out = '';
  for (let i = 0; i < data.length; i += 4) {
    const chunk = Buffer.alloc(4);
    data.copy(chunk, 0, i, Math.min(i + 4, data.length));
    const n = Math.min(4, data.length - i);
    let value = chunk.readUInt32BE(0);
    if (value === 0 && n === 4) {
      out += 'z';
      continue;
    }
    const digits: string[] = [];
    for (let k = 0; k < 5; k++) {
      digits.unshift(String.fromCharCode(33 + (value % 85)));
      value = Math.floor(value / 85);
    }
    out += digits.slice(0, n + 1).join('');
  }
  return Buffer.from(`${out.replace(/(.{75})/g, '$1\n')}~>`);
}

/** RunLength with repeated runs of three or more bytes and literal runs between them. */
export function runLength(data: Buffer): Buffer {
  const out: number[] = [];
  let i = 0;
  while (i < data.length) {
    let run = 1;
    while (i + run < data.length && run < 128 && data[i + run] === data[i]) run++;
    if (run >= 3) {
      out.push(257 - run, data[i]!);
      i += run;
      continue;
    }
    let literal = 0;
    while (i + literal < data.length && literal < 128 && !(data[i + literal] === data[i + literal + 1] && data[i + literal] === data[i + literal + 2])) literal++;
    literal ||= 1;
    out.push(literal - 1, ...data.subarray(i, i + literal));
    i += literal;
  }
  out.push(128);
  return Buffer.from(out);
}

/** Writes LZW codes at the widths the decoder reads them (its table one entry behind the encoder's). */
export class LzwWriter {
  private readonly bytes: number[] = [];
  private bits = 0;
  private bitCount = 0;
  private decoderNext = 258;
  private hasPrev = false;
  private readonly earlyChange: number;
  constructor(earlyChange: number) {
    this.earlyChange = earlyChange;
  }
  private write(code: number): void {
    const width = Math.min(12, Math.floor(Math.log2(this.decoderNext + this.earlyChange)) + 1);
    this.bits = (this.bits << width) | code;
    this.bitCount += width;
    while (this.bitCount >= 8) {
      this.bitCount -= 8;
      this.bytes.push((this.bits >>> this.bitCount) & 255);
    }
    this.bits &= (1 << this.bitCount) - 1;
  }
  code(code: number): void {
    this.write(code);
    if (this.hasPrev) this.decoderNext++;
    this.hasPrev = true;
  }
  clear(): void {
    this.write(256);
    this.decoderNext = 258;
    this.hasPrev = false;
  }
  end(): Buffer {
    this.write(257);
    if (this.bitCount > 0) this.bytes.push((this.bits << (8 - this.bitCount)) & 255);
    return Buffer.from(this.bytes);
  }
}

/** LZW with the given /EarlyChange, the table cleared when full. */
export function lzw(data: Buffer, earlyChange = 1): Buffer {
  const writer = new LzwWriter(earlyChange);
  writer.clear();
  let table = new Map<string, number>();
  let next = 258;
  let word = '';
  for (const byte of data) {
    const c = String.fromCharCode(byte);
    const longer = word + c;
    if (word === '' || (longer.length > 1 ? table.has(longer) : true)) {
      word = longer;
      continue;
    }
    writer.code(word.length === 1 ? word.charCodeAt(0) : table.get(word)!);
    table.set(longer, next++);
    word = c;
    if (next === 4096) {
      writer.clear();
      table = new Map();
      next = 258;
    }
  }
  if (word !== '') writer.code(word.length === 1 ? word.charCodeAt(0) : table.get(word)!);
  return writer.end();
}
