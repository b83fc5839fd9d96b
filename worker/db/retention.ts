// Event retention in D1: event chunks of local days older than a site's
// retention_days are deleted, and the legacy raw-event rows from before
// migration 0008 with them (the aggregates, visitors, leads, arrivals and deals
// stay; the R2 archive keeps events past it, by the bucket's lifecycle rule: README).
// Deletes in bounded chunks so one cron run never holds a huge write; what is
// left over is taken by the next run.
const DAY_MS = 86_400_000;
const CHUNK = 5000;
// /collect takes events up to 7 days old: a day's chunk must outlive that, so a
// recomputation still finds every event a late replay could touch.
export const MIN_RETENTION_DAYS = 8;
const MAX_CHUNKS_PER_SITE = 100;

export interface PurgeResult {
  site: string;
  deleted: number;
  done: boolean; // false: the chunk budget ran out, the next run continues
}

export async function purgeExpiredEvents(db: D1Database, now: number): Promise<PurgeResult[]> {
  const { results: sites } = await db
    .prepare('SELECT site_key, retention_days FROM sites ORDER BY site_key')
    .all<{ site_key: string; retention_days: number }>();
  const out: PurgeResult[] = [];
  for (const s of sites) {
    const cutoff = now - Math.max(s.retention_days, MIN_RETENTION_DAYS) * DAY_MS;
    // Chunks by local day: a day goes once all of it is past the cutoff.
    const cutDay = new Date(cutoff - DAY_MS).toISOString().slice(0, 10);
    let deleted = 0;
    let done = false;
    for (let i = 0; i < MAX_CHUNKS_PER_SITE && !done; i++) {
      const res = await db
        .prepare(
          `DELETE FROM event_chunks WHERE site_key = ?1 AND (day, id) IN (
             SELECT day, id FROM event_chunks WHERE site_key = ?1 AND day < ?2 LIMIT ?3)`,
        )
        .bind(s.site_key, cutDay, CHUNK / 50)
        .run();
      deleted += res.meta.changes;
      done = res.meta.changes < CHUNK / 50;
    }
    const chunksDone = done;
    done = false;
    for (let i = 0; i < MAX_CHUNKS_PER_SITE && !done; i++) {
      const res = await db
        .prepare(
          `DELETE FROM events WHERE site_key = ?1 AND id IN (
             SELECT id FROM events WHERE site_key = ?1 AND received_at < ?2 LIMIT ?3)`,
        )
        .bind(s.site_key, cutoff, CHUNK)
        .run();
      deleted += res.meta.changes;
      done = res.meta.changes < CHUNK;
    }
    out.push({ site: s.site_key, deleted, done: chunksDone && done });
  }
  return out;
}
