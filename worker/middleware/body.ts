// JSON request bodies for the token-protected API: bounded, parsed, and
// refused with the envelope rather than a framework 500 (then checked against
// their schema by middleware/validate.ts).
import type { Context } from 'hono';
import { ApiError, badRequest } from '../errors';

const MAX_API_BODY = 256 * 1024;

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
