// What an endpoint is, for the OpenAPI description: its tag, a one-line
// summary, who may call it, and an example of its answer. The request's shape
// comes from the validators (middleware/validate.ts); this adds the rest.
import { describeRoute } from 'hono-openapi';

type Auth = 'admin' | 'report' | 'store' | 'report or store' | 'service' | 'store or service' | 'report, store or service' | 'none';

export interface Doc {
  tag: string;
  summary: string;
  description?: string;
  auth: Auth;
  /** The success status and an example of its JSON body (or a media type for a non-JSON answer). */
  ok: { status?: number; description?: string; example?: unknown; media?: string };
  /** Other answers worth naming beyond the usual 400/401/403/404. */
  errors?: Record<number, string>;
}

const errorRef = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });

export function describe(d: Doc) {
  const status = d.ok.status ?? 200;
  const media = d.ok.media ?? 'application/json';
  const responses: Record<string, unknown> = {
    [status]: { description: d.ok.description ?? 'OK', content: { [media]: d.ok.example === undefined ? {} : { example: d.ok.example } } },
  };
  if (d.auth !== 'none') {
    responses[401] = errorRef('No token, or not a valid one');
    responses[403] = errorRef('The token may not do this, or not for this site or store');
  }
  for (const [code, text] of Object.entries(d.errors ?? {})) responses[code] = errorRef(text);
  return describeRoute({
    tags: [d.tag],
    summary: d.summary,
    description: d.description ? `${d.description}\n\nToken: ${d.auth}.` : `Token: ${d.auth}.`,
    security: d.auth === 'none' ? [] : [{ bearer: [] }],
    responses: responses as never,
  });
}
