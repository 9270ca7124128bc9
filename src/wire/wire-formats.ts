/** Timestamp formats the BankConnect responses use; produced only at the edge. */

/** `2025-11-13 06:48:44` (UTC). */
export function dateTime(d: Date): string {
  return d.toISOString().slice(0, 19).replace('T', ' ');
}

/** `2025-11-13 06:48:43.660000+00:00` (UTC). */
export function dateTimeMicro(d: Date): string {
  return `${d.toISOString().slice(0, 23).replace('T', ' ')}000+00:00`;
}
