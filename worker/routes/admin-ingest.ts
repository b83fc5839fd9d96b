// The admin's view of ingest: per local day, what the fold did (folds,
// messages, events, replays, the longest wait in the queue), the bots /collect
// dropped and the events browsers reported losing; the event archive in R2 (a
// day's chunk files listed, or one streamed as stored: gzip NDJSON, `curl … |
// gunzip`, or DuckDB over a copy of the bucket: README); and the dead letters.
import { Hono, type MiddlewareHandler } from 'hono';
import * as v from 'valibot';
import {
  adminExamples as ex, archiveFile, ArchiveFileParams, ArchiveQuery, DayQuery, DayRangeQuery,
  type ArchiveDayJson, type BotDayJson, type ClientDropDayJson, type DeadLettersJson, type IngestDayJson, type SiteDays,
} from '../../protocol/admin';
import { reportDay } from '../../protocol/reports';
import { botHits } from '../db/visitors';
import { ingestDays } from '../ingest/fold-sql';
import { clientDrops } from '../rollups/client-drops';
import { ApiError, badRequest } from '../errors';
import { describe } from '../middleware/describe';
import { site, type SiteEnv } from '../middleware/site';
import { param, query } from '../middleware/validate';
import { dayRangeOf } from './params';

export const adminIngest = new Hono<SiteEnv>();

const tag = 'Admin: ingest';

/** GET `path`?from&to: a site's rows per local day, as `read` finds them. */
function perDay<T>(path: string, summary: string, example: SiteDays<T>, read: (db: D1Database, site: string, from: string, to: string) => Promise<T[]>) {
  adminIngest.get(
    path,
    describe({ tag, auth: 'admin', summary, ok: { example }, errors: { 404: 'No such site' } }),
    site('param'),
    query(DayRangeQuery),
    async function siteDays(c) {
      const { from, to } = dayRangeOf(c.req.valid('query'));
      const key = c.get('site').siteKey;
      return c.json({ site: key, from, to, days: await read(c.env.DB, key, from, to) } satisfies SiteDays<T>);
    },
  );
}

perDay<IngestDayJson>('/sites/:site/ingest', 'What the fold did per local day: folds, messages, events, replays dropped, the longest wait in the queue', ex.ingest, ingestDays);
perDay<BotDayJson>('/sites/:site/bots', "Known bots' traffic /collect dropped, per local day", ex.bots, botHits);
perDay<ClientDropDayJson>('/sites/:site/client-drops', "Events the SDK's retry queue had to drop in visitors' browsers, as they reported it, per local day", ex.clientDrops, clientDrops);

/**
 * A day or file name refused with this API's own code (invalid_day,
 * invalid_file) rather than the validator's invalid_parameter: checked first,
 * against the same schema the validator then declares.
 */
function own(target: 'query' | 'param', name: string, schema: v.GenericSchema, code: string, message: string): MiddlewareHandler {
  return async function ownCode(c, next) {
    if (!v.is(schema, target === 'query' ? c.req.query(name) : c.req.param(name))) throw badRequest(code, message);
    await next();
  };
}
const dayIn = (target: 'query' | 'param') => own(target, 'day', reportDay, 'invalid_day', '"day" must be a date YYYY-MM-DD');

adminIngest.get(
  '/sites/:site/archive',
  describe({ tag, auth: 'admin', summary: "A day's event archive files in R2, 1,000 a page", description: 'Pass the answer\'s `cursor` for the next page (null on the last).', ok: { example: ex.archive }, errors: { 404: 'No such site' } }),
  site('param'),
  dayIn('query'),
  query(ArchiveQuery),
  async function archiveDay(c) {
    const key = c.get('site').siteKey;
    const { day, cursor } = c.req.valid('query');
    const prefix = `events/site=${key}/day=${day}/`;
    const page = await c.env.ARCHIVE.list({ prefix, cursor, limit: 1000, include: ['customMetadata'] } as R2ListOptions);
    const files = page.objects.map((o) => {
      const events = Number(o.customMetadata?.events);
      return { file: o.key.slice(prefix.length), key: o.key, bytes: o.size, events: Number.isFinite(events) ? events : null, uploaded: o.uploaded.toISOString() };
    });
    return c.json({ site: key, day, files, cursor: page.truncated ? page.cursor : null } satisfies ArchiveDayJson);
  },
);

adminIngest.get(
  '/sites/:site/archive/:day/:file',
  describe({ tag, auth: 'admin', summary: 'One archive file, as stored: gzip NDJSON, one event a line', ok: { media: 'application/gzip' }, errors: { 404: 'No such site or file' } }),
  site('param'),
  dayIn('param'),
  own('param', 'file', archiveFile, 'invalid_file', 'not an archive file name: list the day first'),
  param(ArchiveFileParams),
  async function archiveFileBody(c) {
    const key = c.get('site').siteKey;
    const { day, file } = c.req.valid('param');
    const obj = await c.env.ARCHIVE.get(`events/site=${key}/day=${day}/${file}`);
    if (!obj) throw new ApiError(404, 'not_found', `no archive file ${file} for site "${key}" on ${day}`);
    // The bytes as stored; no Content-Encoding, so a client saves the .gz file as it is.
    return new Response(obj.body, {
      headers: { 'content-type': 'application/gzip', 'content-disposition': `attachment; filename="${key}-${day}-${file}"`, 'content-length': String(obj.size) },
    });
  },
);

adminIngest.get(
  '/dead-letters',
  describe({ tag, auth: 'admin', summary: 'Queue messages set aside on a UTC day, each with why (the first 100)', ok: { example: ex.deadLetters } }),
  dayIn('query'),
  query(DayQuery),
  async function deadLetters(c) {
    const { day } = c.req.valid('query');
    const page = await c.env.ARCHIVE.list({ prefix: `dead-letter/day=${day}/`, limit: 1000 });
    const letters = await Promise.all(page.objects.slice(0, 100).map(async (o) => {
      const body = await (await c.env.ARCHIVE.get(o.key))?.json<unknown>();
      return { key: o.key, bytes: o.size, uploaded: o.uploaded.toISOString(), body };
    }));
    return c.json({ day, count: page.objects.length, truncated: page.truncated, letters } satisfies DeadLettersJson);
  },
);
