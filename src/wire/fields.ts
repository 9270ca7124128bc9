/**
 * A small request-field schema. One definition both validates a request body (with the
 * Django-REST-framework messages BankConnect clients see, `<field>, <message>`) and renders the
 * JSON Schema that goes into /openapi.json, so the two cannot drift apart.
 */
import { AppError, fieldError, type ErrorCode } from '../errors/codes.ts';
import { safeOrigin } from '../lib/web-origin.ts';

interface Common {
  description: string;
  required?: boolean;
}

export type Field = Common &
  (
    | { type: 'string'; maxLength?: number }
    | { type: 'url'; maxLength: number; tooLong: 'INVALID_REQUEST' | 'INVALID_LENGTH' }
    | { type: 'choice'; choices: readonly string[]; maxLength?: number }
    | { type: 'integer'; minimum?: number; maximum?: number }
    | { type: 'boolean'; default: boolean }
    /** A scalar handed on as a trimmed string; the use case judges it and reports `code`. */
    | { type: 'text'; code: ErrorCode; example: string }
    /** An object of optional string lists (session `metadata`). */
    | { type: 'stringLists'; keys: readonly string[]; maxItems: number; maxItemLength: number }
    | { type: 'list'; of: 'string' | readonly string[]; maxItems: number; maxItemLength: number }
    /**
     * An object of objects whose `properties` are scalar text (v2 `consents`): the keys are
     * handed on for the use case to judge (`keys` documents them); unknown properties are
     * ignored, as unknown parameters are.
     */
    | { type: 'objectMap'; keys: readonly string[]; properties: readonly string[]; example: Record<string, Record<string, string>> }
  );

export type Fields = Record<string, Field>;

/** What `validateFields` hands back for one field: its parsed value. */
export type FieldValue<F extends Field> = F extends { type: 'string' | 'text' }
  ? string
  : F extends { type: 'url' }
    ? URL
    : F extends { type: 'choice'; choices: readonly (infer C)[] }
      ? C
      : F extends { type: 'integer' }
        ? number
        : F extends { type: 'boolean' }
          ? boolean
          : F extends { type: 'stringLists'; keys: readonly (infer K extends string)[] }
            ? Partial<Record<K, string[]>>
            : F extends { type: 'list'; of: readonly (infer C)[] }
              ? C[]
              : F extends { type: 'list' }
                ? string[]
                : F extends { type: 'objectMap'; properties: readonly (infer P extends string)[] }
                  ? Record<string, Partial<Record<P, string>>>
                  : never;

/** Required fields and booleans (which fall back to their default) are always present. */
type AlwaysPresent<F extends Fields> = { [K in keyof F]: F[K] extends { required: true } | { type: 'boolean' } ? K : never }[keyof F];

/** The validated values of a body described by `F`. */
export type FieldValues<F extends Fields> = {
  [K in AlwaysPresent<F>]: FieldValue<F[K]>;
} & {
  [K in Exclude<keyof F, AlwaysPresent<F>>]?: FieldValue<F[K]>;
};

const NOT_A_STRING = 'Not a valid string.';
/** PostgreSQL text cannot hold U+0000; DRF refuses it with this message too. */
const NULL_CHARACTER = 'Null characters are not allowed.';
const DRF = {
  required: 'This field is required.',
  blank: 'This field may not be blank.',
  maxLength: (n: number) => `Ensure this field has no more than ${n} characters.`,
  url: 'Enter a valid URL.',
  choice: (v: string) => `"${v}" is not a valid choice.`,
  integer: 'A valid integer is required.',
  boolean: 'Must be a valid boolean.',
  list: (what: string) => `Expected a list of ${what}.`,
};

const TRUE = new Set<unknown>([true, 1, '1', 'true', 'True', 'TRUE']);
const FALSE = new Set<unknown>([false, 0, '0', 'false', 'False', 'FALSE']);

/** Strings as DRF's CharField takes them: numbers are accepted as text, whitespace is trimmed. */
function scalarText(field: string, value: unknown, code?: ErrorCode): string {
  if (typeof value === 'string') {
    if (value.includes('\u0000')) throw fieldError(field, NULL_CHARACTER);
    return value.trim();
  }
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (code) throw new AppError(code);
  throw fieldError(field, NOT_A_STRING);
}

function isAbsent(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

function parseInteger(value: unknown): number | null {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : null;
  if (typeof value === 'string' && /^\s*[-+]?\d{1,15}\s*$/.test(value)) return Number(value);
  return null;
}

function validateOne(name: string, field: Field, value: unknown): unknown {
  switch (field.type) {
    case 'string': {
      const text = scalarText(name, value);
      if (field.maxLength !== undefined && text.length > field.maxLength) throw fieldError(name, DRF.maxLength(field.maxLength));
      return text;
    }
    case 'url': {
      const text = scalarText(name, value);
      if (text.length > field.maxLength) {
        throw field.tooLong === 'INVALID_LENGTH' ? new AppError('INVALID_LENGTH') : fieldError(name, DRF.maxLength(field.maxLength));
      }
      let url: URL;
      try {
        url = new URL(text);
      } catch {
        throw fieldError(name, DRF.url);
      }
      if (!url.hostname || /\s/.test(text)) throw fieldError(name, DRF.url);
      // DRF's URLValidator takes only real host names; WHATWG keeps `;`, `,`, quotes and more in
      // one (`https://x;sandbox/`), which would then reach headers such as the journey's CSP.
      if ((url.protocol === 'http:' || url.protocol === 'https:') && safeOrigin(url) === null) throw fieldError(name, DRF.url);
      return url;
    }
    case 'choice': {
      // Objects are JSON.stringify'd first; what reaches String() is a primitive (`unknown` hides that).
      // eslint-disable-next-line @typescript-eslint/no-base-to-string
      const text = typeof value === 'string' ? value : String(typeof value === 'object' ? JSON.stringify(value) : value);
      if (field.maxLength !== undefined && text.length > field.maxLength) throw fieldError(name, DRF.maxLength(field.maxLength));
      if (!field.choices.includes(text)) throw fieldError(name, DRF.choice(text));
      return text;
    }
    case 'integer': {
      const n = parseInteger(value);
      if (n === null) throw fieldError(name, DRF.integer);
      return n;
    }
    case 'boolean': {
      if (TRUE.has(value)) return true;
      if (FALSE.has(value)) return false;
      throw fieldError(name, DRF.boolean);
    }
    case 'text':
      return scalarText(name, value, field.code);
    case 'stringLists': {
      const object = jsonObject(name, value, `Expected an object with the lists ${field.keys.join(', ')}.`);
      const out: Record<string, string[]> = {};
      for (const [key, list] of Object.entries(object)) {
        if (!field.keys.includes(key)) throw fieldError(name, `Unknown key "${key}"; allowed: ${field.keys.join(', ')}.`);
        out[key] = validateList(`${name}.${key}`, list, 'string', field.maxItems, field.maxItemLength);
      }
      return out;
    }
    case 'list':
      return validateList(name, value, field.of, field.maxItems, field.maxItemLength);
    case 'objectMap': {
      const object = jsonObject(name, value, `Expected an object keyed by ${field.keys.join(', ')}.`);
      const out: Record<string, Record<string, string>> = {};
      for (const [key, entry] of Object.entries(object)) {
        const inner = jsonObject(`${name}.${key}`, entry, `Expected an object with ${field.properties.join(', ')}.`, false);
        const values: Record<string, string> = {};
        for (const property of field.properties) {
          if (!isAbsent(inner[property])) values[property] = scalarText(`${name}.${key}.${property}`, inner[property]);
        }
        out[key] = values;
      }
      return out;
    }
  }
}

/** A JSON object, or (in form bodies, where it can only come as text) its JSON text when `text`. */
function jsonObject(name: string, value: unknown, expected: string, text = true): Record<string, unknown> {
  let object = value;
  if (text && typeof object === 'string') {
    try {
      object = JSON.parse(object);
    } catch {
      throw fieldError(name, expected);
    }
  }
  if (typeof object !== 'object' || object === null || Array.isArray(object)) throw fieldError(name, expected);
  return object as Record<string, unknown>;
}

function validateList(name: string, value: unknown, of: 'string' | readonly string[], maxItems: number, maxItemLength: number): string[] {
  if (!Array.isArray(value)) throw fieldError(name, DRF.list('strings'));
  if (value.length > maxItems) throw new AppError('INVALID_LENGTH', `${name}, Field length exceeds limit`);
  return value.map((item) => {
    if (typeof item !== 'string') throw fieldError(name, DRF.list('strings'));
    if (item.includes('\u0000')) throw fieldError(name, NULL_CHARACTER);
    const text = item.trim();
    if (of !== 'string' && !of.includes(text)) throw fieldError(name, DRF.choice(text));
    if (text.length > maxItemLength) throw new AppError('INVALID_LENGTH', `${name}, Field length exceeds limit`);
    return text;
  });
}

/**
 * Validates `body` against `fields`, in the order the fields are declared, and returns the
 * parsed values. Optional fields that are absent, null or blank come back undefined (booleans
 * come back as their default). Unknown keys are ignored, as DRF does.
 */
export function validateFields<F extends Fields>(fields: F, body: Record<string, unknown>): FieldValues<F> {
  const out: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(fields)) {
    const value = body[name];
    if (isAbsent(value)) {
      if (field.required) {
        throw fieldError(name, value === undefined ? DRF.required : value === null ? 'This field may not be null.' : DRF.blank);
      }
      out[name] = field.type === 'boolean' ? field.default : undefined;
      continue;
    }
    out[name] = validateOne(name, field, value);
  }
  // validateOne returns, per field type, exactly the value FieldValue<> names.
  return out as FieldValues<F>;
}

type JsonSchema = Record<string, unknown>;

function fieldSchema(field: Field): JsonSchema {
  const base = { description: field.description };
  switch (field.type) {
    case 'string':
      return { ...base, type: 'string', ...(field.maxLength ? { maxLength: field.maxLength } : {}) };
    case 'url':
      return { ...base, type: 'string', format: 'uri', maxLength: field.maxLength };
    case 'choice':
      return { ...base, type: 'string', enum: [...field.choices], ...(field.maxLength ? { maxLength: field.maxLength } : {}) };
    case 'integer':
      return {
        ...base,
        oneOf: [{ type: 'integer' }, { type: 'string', pattern: '^[0-9]+$' }],
        ...(field.minimum !== undefined ? { minimum: field.minimum } : {}),
        ...(field.maximum !== undefined ? { maximum: field.maximum } : {}),
      };
    case 'boolean':
      return { ...base, oneOf: [{ type: 'boolean' }, { type: 'string', enum: ['true', 'false', '1', '0'] }, { type: 'integer', enum: [0, 1] }], default: field.default };
    case 'text':
      return { ...base, type: 'string', example: field.example };
    case 'stringLists':
      return {
        ...base,
        type: 'object',
        additionalProperties: false,
        properties: Object.fromEntries(
          field.keys.map((k) => [k, { type: 'array', maxItems: field.maxItems, items: { type: 'string', maxLength: field.maxItemLength } }]),
        ),
      };
    case 'list':
      return {
        ...base,
        type: 'array',
        maxItems: field.maxItems,
        items: field.of === 'string' ? { type: 'string', maxLength: field.maxItemLength } : { type: 'string', enum: [...field.of] },
      };
    case 'objectMap':
      return {
        ...base,
        type: 'object',
        propertyNames: { enum: [...field.keys] },
        additionalProperties: { type: 'object', properties: Object.fromEntries(field.properties.map((p) => [p, { type: 'string' }])) },
        example: field.example,
      };
  }
}

export function toJsonSchema(fields: Fields): JsonSchema {
  return {
    type: 'object',
    required: Object.entries(fields).filter(([, f]) => f.required).map(([n]) => n),
    properties: Object.fromEntries(Object.entries(fields).map(([n, f]) => [n, fieldSchema(f)])),
  };
}
