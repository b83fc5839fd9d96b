// The conversation events the service report reads (started, first_reply,
// reply, topics, ended), written by the conversation object into the same
// ingest a vendor's relay uses (worker/conversations/ingest.ts). Each goes first
// into the object's outbox (with the change it describes, in one storage write),
// then to D1; a D1 failure leaves it there for the object's alarm to retry. Each
// has its own id, so a retry that reached D1 before is stored once.
import type { ConversationEventInput } from '../../protocol/chat';
import { ingestConversations } from '../conversations/ingest';
import { getSiteCached } from '../db/sites';

/** Queues an event; its `id` is its key. */
export function queueEvent(sql: SqlStorage, e: ConversationEventInput & { id: string }): void {
  sql.exec('INSERT OR IGNORE INTO outbox (key, event) VALUES (?, ?)', e.id, JSON.stringify(e));
}

/** Sends the outbox to D1; true when it is empty after. Refused events (a bug of ours) are logged and dropped. */
export async function flushEvents(sql: SqlStorage, db: D1Database, siteKey: string): Promise<boolean> {
  const rows = sql.exec('SELECT key, event FROM outbox ORDER BY rowid').toArray() as { key: string; event: string }[];
  if (rows.length === 0) return true;
  try {
    const site = await getSiteCached(db, siteKey); // a few seconds' copy: every message flushes
    if (!site) {
      sql.exec('DELETE FROM outbox'); // the site is gone: nothing will take them
      return true;
    }
    const result = await ingestConversations(db, site, rows.map((r) => JSON.parse(r.event)));
    for (const r of result.rejected) console.error('desk event refused', r.code, r.message);
    for (const r of rows) sql.exec('DELETE FROM outbox WHERE key = ?', r.key);
    return true;
  } catch (err) {
    console.error('desk events', err);
    return false;
  }
}
