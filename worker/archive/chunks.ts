// Event chunks: a fold's new events of one site and local day as gzip NDJSON,
// one flat JSON object per line (DuckDB reads it as a table). The same bytes go
// to D1 (event_chunks, for the site's retention) and to R2 (kept past it):
//   events/site=<site>/day=<YYYY-MM-DD>/<id>.ndjson.gz
// The id comes from the fold's messages, so a retried fold rewrites the same
// object instead of adding a second one.
import type { Place, StoredEvent } from '../attribution/model';

/** One line of a chunk. */
export interface ChunkLine extends Place {
  site: string;
  id: string;
  type: string;
  visitor: string;
  session: string;
  pageview: string | null;
  ts: number;
  received_at: number;
  day: string;
  path: string | null;
  sku: string | null;
  channel: string; // the credited (last) touch
  campaign: string | null;
  promoter: string | null;
  first_channel: string;
  first_campaign: string | null;
  first_promoter: string | null;
  touch?: string; // a view that was a touch (a counted landing naming a channel): that channel (multi-touch attribution)
  data: Record<string, unknown> | null; // the type's own fields: referrer, params, dwell, consult kind, props
}

export function chunkLine(e: StoredEvent): ChunkLine {
  return {
    site: e.siteKey, id: e.id, type: e.type, visitor: e.visitorId, session: e.sessionId, pageview: e.pageviewId, ts: e.ts,
    received_at: e.receivedAt, day: e.day, path: e.path, sku: e.sku, channel: e.last.channel, campaign: e.last.campaign,
    promoter: e.last.promoter, first_channel: e.first.channel, first_campaign: e.first.campaign, first_promoter: e.first.promoter,
    ...(e.touch ? { touch: e.touch } : {}), data: e.data, country: e.country, region: e.region, city: e.city, device: e.device,
  };
}

export const chunkKey = (site: string, day: string, id: string) => `events/site=${site}/day=${day}/${id}.ndjson.gz`;

export async function gzipLines(lines: unknown[]): Promise<ArrayBuffer> {
  const text = lines.map((l) => JSON.stringify(l)).join('\n') + '\n';
  return new Response(new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'))).arrayBuffer();
}

export async function gunzipLines<T = ChunkLine>(body: ArrayBuffer | ReadableStream): Promise<T[]> {
  const stream = body instanceof ReadableStream ? body : new Blob([body]).stream();
  const text = await new Response(stream.pipeThrough(new DecompressionStream('gzip'))).text();
  return text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as T);
}

/** The fold's events grouped by local day, each day a chunk. */
export function byDay(events: StoredEvent[]): Map<string, ChunkLine[]> {
  const out = new Map<string, ChunkLine[]>();
  for (const e of events) (out.get(e.day) ?? out.set(e.day, []).get(e.day)!).push(chunkLine(e));
  return out;
}
