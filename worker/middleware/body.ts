// JSON request bodies for the token-protected API: bounded, parsed, and
// refused with the envelope rather than a framework 500.
import type { Context } from 'hono';
import { ApiError, badRequest } from '../errors';
import { boundedString, Invalid } from '../validate/fields';

const MAX_API_BODY = 256 * 1024;

export async function jsonBody<T = Record<string, unknown>>(c: Context, max = MAX_API_BODY): Promise<T> {
  return (await readJsonObject(c, max)) as T;
}

/** The body as a JSON object, at most `max` bytes; the envelope's 413 or 400 otherwise. Content-Type is not required. */
export async function readJsonObject(c: Context, max = MAX_API_BODY): Promise<Record<string, unknown>> {
  const declared = Number(c.req.header('content-length') ?? NaN);
  if (declared > max) throw new ApiError(413, 'body_too_large', `body exceeds ${max} bytes`);
  const text = await c.req.text();
  if (new TextEncoder().encode(text).byteLength > max) throw new ApiError(413, 'body_too_large', `body exceeds ${max} bytes`);
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw badRequest('invalid_json', 'body is not valid JSON');
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw badRequest('invalid_body', 'body must be a JSON object');
  return v as Record<string, unknown>;
}

/** A bounded string field; `required` makes absence a 400. */
export function field(o: Record<string, unknown>, key: string, max: number, required: true): string;
export function field(o: Record<string, unknown>, key: string, max: number, required?: false): string | undefined;
export function field(o: Record<string, unknown>, key: string, max: number, required = false): string | undefined {
  try {
    return boundedString(o, key, max, required);
  } catch (err) {
    if (err instanceof Invalid) throw badRequest(err.code, err.message);
    throw err;
  }
}

/** A bounded array of bounded strings. */
export function stringList(o: Record<string, unknown>, key: string, maxItems: number, maxLen: number): string[] | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.length > maxItems || v.some((x) => typeof x !== 'string' || !x || x.length > maxLen)) {
    throw badRequest('invalid_field', `"${key}" must be an array of at most ${maxItems} non-empty strings of at most ${maxLen} characters`);
  }
  return v as string[];
}
