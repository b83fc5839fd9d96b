// The queue message /collect enqueues and the fold consumes: one request's
// checked, enriched batch for one site. Plain JSON (Queues serialize it with
// the structured clone algorithm; JSON keeps it readable in the dead-letter
// archive). `v` versions the shape: the fold sets aside a version it does not know.
import type { WireEvent } from '../../protocol/wire';
import type { Landing } from '../attribution/model';

export const MESSAGE_VERSION = 1;

/** Where the request came from, read off request.cf and the user agent; never the IP. */
export interface MessageGeo {
  country: string | null;
  region: string | null;
  city: string | null;
  device: 'mobile' | 'tablet' | 'desktop' | null;
}

/** One event as the edge passed it: validated, its time clamped, a view's landing classified. */
export interface QueuedEvent {
  e: WireEvent; // ts already clamped to [received − 7 d, received]
  l?: Landing; // views only: what the landing says about the touch (the edge knows the user agent and the page hosts)
}

export interface IngestMessage {
  v: typeof MESSAGE_VERSION;
  site: string; // site key
  at: number; // when /collect received it (ms)
  geo: MessageGeo;
  events: QueuedEvent[]; // in the order sent; the fold sorts by event time
  bot?: number; // a known bot's batch: only its size, counted per day (events is empty)
}

/**
 * A half-life change's re-share of one site's time-decay credit, a page of
 * visitors per message (worker/ingest/recredit.ts): the admin's PATCH sends the
 * first, each page sends the next, so a site of any size is re-shared without
 * one request or one consumer invocation doing it all. `h` is the half-life it
 * re-shares to; a newer change supersedes it.
 */
export interface RecreditMessage {
  v: typeof MESSAGE_VERSION;
  kind: 'recredit';
  site: string;
  h: number;
  after: string; // the last visitor id re-shared ('' to start)
}

export type QueueMessage = IngestMessage | RecreditMessage;

