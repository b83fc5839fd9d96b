// Raw-event retention: events older than a site's retention_days are deleted
// (the rollups, leads, arrivals and deals stay). Deletes in bounded chunks through
// events_site_received so one cron run never holds a huge write; what is left
// over is taken by the next run.
const DAY_MS = 86_400_000;
const CHUNK = 5000;
// The rollups' exactly-once guard is the stored event row, and /collect takes
// events up to 7 days old: a row must outlive that, or a late replay would count twice.
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
    let deleted = 0;
    let done = false;
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
    out.push({ site: s.site_key, deleted, done });
  }
  return out;
}
