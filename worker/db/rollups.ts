// Rollups updated on ingest, so reports never scan raw events. Called by the
// ingest handler inside the same D1 batch as the events insert.
import type { Site } from './sites';
import type { StoredEvent } from './events';

/** Statements that fold `rows` into the rollups. None yet: reports still read raw events. */
export function rollupStatements(_db: D1Database, _site: Site, _rows: StoredEvent[]): D1PreparedStatement[] {
  return [];
}
