// Leads made by appointment events on ingest. (Filled in by the offline-funnel work.)
import type { StoredEvent } from '../db/events';
import type { Site } from '../db/sites';

/** Creates (or finds again, for a replay) the lead of each appointment event; event id → lead code. */
export async function leadsForAppointments(_db: D1Database, _site: Site, _rows: StoredEvent[]): Promise<Record<string, string>> {
  return {};
}
