// Random ids for visitors, sessions, page views and events: 21 characters of
// [0-9a-z] from crypto.getRandomValues (~108 bits; what makes a retried event's
// id safe to deduplicate on). nanoid's idea without its 64-character alphabet,
// which the script tag's byte budget cannot spare.
export const newId = (): string => crypto.getRandomValues(new Uint8Array(21)).reduce((s, b) => s + (b % 36).toString(36), '');
