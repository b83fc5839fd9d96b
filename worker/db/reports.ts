// Report queries. Plain SQL, every value bound.
export interface ChannelRow {
  channel: string;
  visitors: number;
  views: number;
}

/** Visitors and views per credited channel over local days [from, to]. */
export async function channelReport(db: D1Database, siteKey: string, from: string, to: string): Promise<ChannelRow[]> {
  const { results } = await db
    .prepare(
      `SELECT channel, COUNT(DISTINCT visitor_id) AS visitors, SUM(type = 'view') AS views
       FROM events WHERE site_key = ?1 AND day BETWEEN ?2 AND ?3
       GROUP BY channel ORDER BY visitors DESC, channel`,
    )
    .bind(siteKey, from, to)
    .all<ChannelRow>();
  return results;
}
