// An event as the fold keeps it: the wire event, enriched with the request's
// facts and the touches it was credited with. It is what the event chunks hold
// (one NDJSON line each) and what a lead is made from.
import type { WireEvent } from '../../protocol/wire';
import type { StoredEvent, Touch } from '../attribution/model';
import type { Site } from '../db/sites';
import { localDay } from '../time';
import type { IngestMessage } from './message';

export function storedEvent(site: Site, e: WireEvent, msg: Pick<IngestMessage, 'at' | 'geo'>, first: Touch, last: Touch, touch?: string): StoredEvent {
  const { i, t, v, ss, pv, u, k, ts, ...rest } = e;
  return {
    siteKey: site.siteKey, id: i, type: t, visitorId: v, sessionId: ss, pageviewId: pv ?? null,
    ts, receivedAt: msg.at, day: localDay(ts, site.timezone), path: u ?? null, sku: k ?? null,
    channel: last.channel, first, last, ...(touch ? { touch } : {}),
    data: Object.keys(rest).length ? rest : null,
    country: msg.geo.country, region: msg.geo.region, city: msg.geo.city, device: msg.geo.device,
  };
}
