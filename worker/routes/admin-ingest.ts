// /api/v1/admin/sites/:site/ingest and /archive: what the fold did per day (how
// many messages and events, replays, the longest wait in the queue), and the
// event archive in R2: a day's chunk files listed, or one streamed as stored
// (gzip NDJSON: `curl … | gunzip`, or DuckDB over a copy of the bucket: README).
import { Hono } from 'hono';
import type { AuthEnv } from '../auth/tokens';
import { ingestDays } from '../ingest/fold-sql';
import { getSite } from '../db/sites';
import { ApiError, badRequest } from '../errors';
import { isDay } from '../time';
import { dayRange } from './params';

export const adminIngest = new Hono<AuthEnv>();

async function siteOr404(db: D1Database, siteKey: string): Promise<void> {
  if (!(await getSite(db, siteKey))) throw new ApiError(404, 'unknown_site', `site "${siteKey}" does not exist`);
}

function dayParam(day: string | undefined): string {
  if (!day || !isDay(day)) throw badRequest('invalid_day', '"day" must be a date YYYY-MM-DD');
  return day;
}

adminIngest.get('/sites/:site/ingest', async function ingestStats(c) {
  const siteKey = c.req.param('site');
  await siteOr404(c.env.DB, siteKey);
  const { from, to } = dayRange(c);
  return c.json({ site: siteKey, from, to, days: await ingestDays(c.env.DB, siteKey, from, to) });
});

adminIngest.get('/sites/:site/archive', async function archiveDay(c) {
  const siteKey = c.req.param('site');
  await siteOr404(c.env.DB, siteKey);
  const day = dayParam(c.req.query('day'));
  const prefix = `events/site=${siteKey}/day=${day}/`;
  // A page of at most 1,000 files; `cursor` in the answer asks for the next.
  const page = await c.env.ARCHIVE.list({ prefix, cursor: c.req.query('cursor') || undefined, limit: 1000, include: ['customMetadata'] } as R2ListOptions);
  const files = page.objects.map((o) => {
    const events = Number(o.customMetadata?.events);
    return { file: o.key.slice(prefix.length), key: o.key, bytes: o.size, events: Number.isFinite(events) ? events : null, uploaded: o.uploaded.toISOString() };
  });
  const cursor = page.truncated ? page.cursor : null;
  return c.json({ site: siteKey, day, files, cursor });
});

const FILE = /^[0-9]{14}-[0-9a-z]{1,12}\.ndjson\.gz$/;

adminIngest.get('/sites/:site/archive/:day/:file', async function archiveFile(c) {
  const siteKey = c.req.param('site');
  const day = dayParam(c.req.param('day'));
  const file = c.req.param('file');
  if (!FILE.test(file)) throw badRequest('invalid_file', 'not an archive file name: list the day first');
  const obj = await c.env.ARCHIVE.get(`events/site=${siteKey}/day=${day}/${file}`);
  if (!obj) throw new ApiError(404, 'not_found', `no archive file ${file} for site "${siteKey}" on ${day}`);
  // The bytes as stored; no Content-Encoding, so a client saves the .gz file as it is.
  return new Response(obj.body, {
    headers: { 'content-type': 'application/gzip', 'content-disposition': `attachment; filename="${siteKey}-${day}-${file}"`, 'content-length': String(obj.size) },
  });
});

adminIngest.get('/dead-letters', async function deadLetters(c) {
  const day = dayParam(c.req.query('day'));
  const prefix = `dead-letter/day=${day}/`;
  const page = await c.env.ARCHIVE.list({ prefix, limit: 1000 });
  const letters = await Promise.all(page.objects.slice(0, 100).map(async (o) => {
    const body = await (await c.env.ARCHIVE.get(o.key))?.json<unknown>();
    return { key: o.key, bytes: o.size, uploaded: o.uploaded.toISOString(), body };
  }));
  return c.json({ day, count: page.objects.length, truncated: page.truncated, letters });
});
