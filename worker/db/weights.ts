// A site's own SKU-interest weights (absent: the documented defaults).
import type { Weights } from '../../protocol/reports';

export async function getWeights(db: D1Database, siteKey: string): Promise<Weights | null> {
  const row = await db.prepare('SELECT weights FROM sku_weights WHERE site_key = ?1').bind(siteKey).first<{ weights: string }>();
  return row ? (JSON.parse(row.weights) as Weights) : null;
}

export async function setWeights(db: D1Database, siteKey: string, w: Weights, now = Date.now()): Promise<void> {
  await db
    .prepare(
      `INSERT INTO sku_weights (site_key, weights, updated_at) VALUES (?1, ?2, ?3)
       ON CONFLICT (site_key) DO UPDATE SET weights = excluded.weights, updated_at = excluded.updated_at`,
    )
    .bind(siteKey, JSON.stringify(w), now)
    .run();
}
