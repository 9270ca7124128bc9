/**
 * Whether a name the lender expects (session metadata `names`) is the statement's account
 * holder: every word of the expected name appears in the holder's name, in any order and case,
 * ignoring honorifics and punctuation ("PATIL AYUSH" matches "Mr. Ayush Patil").
 */
const HONORIFICS = new Set(['mr', 'mrs', 'ms', 'miss', 'dr', 'shri', 'smt', 'm/s']);

function words(name: string): string[] {
  return name
    .toLowerCase()
    .split(/[^a-z0-9/]+/)
    .filter((w) => w && !HONORIFICS.has(w));
}

export function nameMatches(expected: string[], holder: string | null): { name: string; matched: boolean }[] {
  const have = new Set(holder ? words(holder) : []);
  return expected.map((name) => {
    const want = words(name);
    return { name, matched: want.length > 0 && want.every((w) => have.has(w)) };
  });
}
