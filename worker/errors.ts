// The one error envelope: every failure, expected or not, leaves the worker as
// `{ error: { code, message } }` with a 4xx (or, for our own bugs, a 500).
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ErrorBody } from '../protocol/wire';

/** An expected failure. Throw it anywhere; `onError` turns it into the envelope. */
export class ApiError extends HTTPException {
  constructor(
    status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    readonly headers?: Record<string, string>,
  ) {
    super(status, { message });
  }
}

export const badRequest = (code: string, message: string, details?: unknown) =>
  new ApiError(400, code, message, details);

export function errorBody(code: string, message: string, details?: unknown): ErrorBody {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

export function onError(err: Error, c: Context): Response {
  if (err instanceof ApiError) {
    return c.json(errorBody(err.code, err.message, err.details), err.status, err.headers);
  }
  if (err instanceof HTTPException) {
    // Hono's own (e.g. bodyLimit, malformed JSON in a validator): keep its status.
    const status = err.status as ContentfulStatusCode;
    return c.json(errorBody(status === 413 ? 'body_too_large' : 'bad_request', err.message || 'bad request'), status);
  }
  // A bug of ours. Say so without echoing internals; the log keeps the stack.
  console.error('unhandled', err);
  return c.json(errorBody('internal', 'internal error'), 500);
}

export function notFound(c: Context): Response {
  return c.json(errorBody('not_found', `no route for ${c.req.method} ${new URL(c.req.url).pathname}`), 404);
}
