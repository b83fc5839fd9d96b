// Random ids for visitors, sessions, page views and events: three random 32-bit
// numbers from crypto.getRandomValues, written in decimal one after the other
// (up to 30 digits, 96 bits: what makes a retried event's id safe to deduplicate
// on). Decimal because `join` is the fewest bytes the script tag can spend on it.
export const newId = (): string => crypto.getRandomValues(new Uint32Array(3)).join('');
