/** Regular expressions built from data (bank names, labels, phrases), escaped once. */

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The source of a pattern matching any of `phrases` case-insensitively, with any run of spaces
 * and spaces around a slash as printed ("A/C  Name", "a / c name"). Longest first, so that a
 * phrase wins over its own prefix. Null when there are no phrases.
 */
export function phrasesSource(phrases: readonly string[]): string | null {
  if (phrases.length === 0) return null;
  const alternatives = [...new Set(phrases)]
    .sort((a, b) => b.length - a.length)
    .map((p) => escapeRegExp(p.trim()).replace(/\s*\/\s*/g, '\\s*/\\s*').replace(/\s+/g, '\\s+'));
  return `(?:${alternatives.join('|')})`;
}
