// Lead codes: what a customer reads aloud or types at the store counter. Six
// capitals and digits from 32 that cannot be mistaken for each other (no 0/O,
// 1/I; shown in capitals, so no l either):
// 32^6 ≈ 1.07 billion codes per site, so a random draw rarely collides, and the
// insert retries when it does (leads' key is (site, code)).
export const CODE_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
export const CODE_LENGTH = 6;

/** A fresh random code. 256 is a multiple of 32, so `byte & 31` is uniform. */
export function newLeadCode(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(CODE_LENGTH));
  let s = '';
  for (const b of bytes) s += CODE_ALPHABET[b & 31];
  return s;
}

/**
 * What staff typed, as a code: case and separators don't matter ("ab3-k7q" → "AB3K7Q").
 * Returns null when it cannot be a code, so the caller can answer 400 rather than look it up.
 */
export function normalizeLeadCode(input: string): string | null {
  const s = input.toUpperCase().replace(/[\s-]/g, '');
  if (s.length !== CODE_LENGTH) return null;
  for (const ch of s) if (!CODE_ALPHABET.includes(ch)) return null;
  return s;
}
