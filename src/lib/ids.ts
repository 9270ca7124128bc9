const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids are UUIDs; anything else cannot name a stored row (and must not reach a uuid column). */
export function isUuid(text: string): boolean {
  return UUID.test(text);
}
