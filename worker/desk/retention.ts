// The site's retention in a conversation object: messages older than the
// site's retention_days are deleted; a conversation with no activity for that
// long is deleted whole (binding, messages, outbox) and leaves the desk's queue.
// The days are read from D1 each time, so a changed setting applies at the next alarm.
import { getSite } from '../db/sites';
import type { Env } from '../env';
import type { RoomRow } from './room-sql';
import { deskOf } from './stubs';

const DAY_MS = 86_400_000;

/** Applies retention; the next alarm's time, or null when the conversation was deleted. */
export async function runRetention(ctx: DurableObjectState, env: Env, room: RoomRow, now: number): Promise<number | null> {
  const sql = ctx.storage.sql;
  const days = (await getSite(env.DB, room.site))?.retentionDays ?? room.retention_days;
  if (days !== room.retention_days) sql.exec('UPDATE room SET retention_days = ? WHERE id = 1', days);
  const cutoff = now - days * DAY_MS;
  if (room.last_at < cutoff) {
    try {
      await deskOf(env, room.site).forget(room.c);
    } catch (err) {
      console.error('desk forget', err); // the desk drops a stale row itself (desk-room.ts)
    }
    await ctx.storage.deleteAlarm();
    await ctx.storage.deleteAll();
    return null;
  }
  sql.exec('DELETE FROM messages WHERE at < ?', cutoff);
  const oldest = sql.exec('SELECT MIN(at) AS at FROM messages').one().at as number | null;
  // Whichever comes first: the oldest message's turn, or the whole room's.
  return Math.min(oldest ?? room.last_at, room.last_at) + days * DAY_MS;
}
