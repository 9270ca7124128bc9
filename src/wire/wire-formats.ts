/** Timestamp formats the BankConnect responses use; produced only at the edge. */
import { Type, type TSchema } from 'typebox';

/** `2025-11-13 06:48:44` (UTC). */
export function dateTime(d: Date): string {
  return d.toISOString().slice(0, 19).replace('T', ' ');
}

/** `2025-11-13 06:48:43.660000+00:00` (UTC). */
export function dateTimeMicro(d: Date): string {
  return `${d.toISOString().slice(0, 23).replace('T', ' ')}000+00:00`;
}

/** Schemas of the formats above and of the other values the responses repeat. */
export const DateTimeText = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}$', examples: ['2025-11-13 06:48:44'] });
export const DateTimeMicroText = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{6}\\+00:00$', examples: ['2025-11-13 06:48:43.660000+00:00'] });
/** `Date.toISOString()`. */
export const IsoDateTime = Type.String({ format: 'date-time' });
/** `DD/MM/YYYY`, the session API's dates. */
export const DayMonthYear = Type.String({ pattern: '^\\d{2}/\\d{2}/\\d{4}$', examples: ['21/05/2026'] });
/** `YYYY-MM-DD`, the statement data's dates. */
export const IsoDate = Type.String({ format: 'date' });
/** `YYYY-MM`. */
export const Month = Type.String({ pattern: '^\\d{4}-\\d{2}$', examples: ['2026-05'] });
export const Uuid = Type.String({ format: 'uuid' });
export const Url = Type.String({ format: 'uri' });

export function Nullable<T extends TSchema>(type: T) {
  return Type.Union([type, Type.Null()]);
}

/** One of a fixed list of strings (the domain's `as const` lists). */
export function OneOf<const V extends readonly string[]>(values: V) {
  return Type.Unsafe<V[number]>({ type: 'string', enum: [...values] });
}
