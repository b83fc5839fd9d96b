// Marketing spend per channel and local day. Writes are upserts: uploading a
// day (or a month, already spread into days) again replaces it.
export interface SpendDay {
  channel: string;
  day: string;
  amount: number; // minor units
}

const CHUNK = 500; // rows per statement: one JSON parameter, well under D1's size limits

export async function putSpend(db: D1Database, siteKey: string, rows: SpendDay[], now = Date.now()): Promise<number> {
  const stmts: D1PreparedStatement[] = [];
  for (let i = 0; i < rows.length; i += CHUNK) {
    const part = rows.slice(i, i + CHUNK).map((r) => [r.channel, r.day, r.amount]);
    stmts.push(
      db
        .prepare(
          `INSERT INTO spend (site_key, channel, day, amount, updated_at)
           SELECT ?1, json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]'), ?3
           FROM json_each(?2) WHERE true
           ON CONFLICT (site_key, channel, day) DO UPDATE SET amount = excluded.amount, updated_at = excluded.updated_at`,
        )
        .bind(siteKey, JSON.stringify(part), now),
    );
  }
  if (stmts.length) await db.batch(stmts);
  return rows.length;
}
