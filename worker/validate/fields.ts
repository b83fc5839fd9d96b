// Bounded fields of untrusted JSON, shared by every validator (/collect events,
// conversation events, API bodies): one wording and one set of codes for
// "missing", "not a string" and "too long".

/** A field that fails its bounds. Validators catch it per event; API bodies turn it into a 400. */
export class Invalid extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

/** `o[key]` as a string, cut to `max` characters; absent (undefined, null, '') is undefined. Not a string is Invalid. */
export function cutString(o: Record<string, unknown>, key: string, max: number): string | undefined {
  const v = o[key];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string') throw new Invalid('invalid_field', `"${key}" must be a string`);
  return v.slice(0, max);
}

/** `o[key]` as a string of at most `max` characters; absent (undefined, null, '') is undefined or, if `required`, Invalid. */
export function boundedString(o: Record<string, unknown>, key: string, max: number, required = false): string | undefined {
  const v = o[key];
  if (v === undefined || v === null || v === '') {
    if (required) throw new Invalid('missing_field', `"${key}" is required`);
    return undefined;
  }
  if (typeof v !== 'string') throw new Invalid('invalid_field', `"${key}" must be a string`);
  if (v.length > max) throw new Invalid('field_too_long', `"${key}" is longer than ${max} characters`);
  return v;
}
