// Per-store check-in keys (checkin_keys): the secret part of a poster's QR URL.
import { nanoid } from 'nanoid';

/** The store's key, made on first use. */
export async function checkinKey(db: D1Database, siteKey: string, storeId: string, now = Date.now()): Promise<string> {
  await db
    .prepare('INSERT OR IGNORE INTO checkin_keys (site_key, store_id, key, created_at) VALUES (?1, ?2, ?3, ?4)')
    .bind(siteKey, storeId, nanoid(16), now)
    .run();
  return (await findCheckinKey(db, siteKey, storeId))!;
}

export async function findCheckinKey(db: D1Database, siteKey: string, storeId: string): Promise<string | null> {
  const r = await db.prepare('SELECT key FROM checkin_keys WHERE site_key = ?1 AND store_id = ?2').bind(siteKey, storeId).first<{ key: string }>();
  return r?.key ?? null;
}

/** A new key: posters printed before stop working (reprint them). */
export async function rotateCheckinKey(db: D1Database, siteKey: string, storeId: string, now = Date.now()): Promise<string> {
  const key = nanoid(16);
  await db
    .prepare(
      `INSERT INTO checkin_keys (site_key, store_id, key, created_at) VALUES (?1, ?2, ?3, ?4)
       ON CONFLICT (site_key, store_id) DO UPDATE SET key = excluded.key, created_at = excluded.created_at`,
    )
    .bind(siteKey, storeId, key, now)
    .run();
  return key;
}
