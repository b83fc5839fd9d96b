// What both desk objects do with a frame before its meaning: the per-socket
// rate limit (its bucket rides in the socket's hibernation attachment), the
// size bound, JSON and the schema. A bad frame is answered with an error frame
// and never reaches the object's logic, nor throws out of it.
import * as v from 'valibot';
import { DESK_LIMITS as L, type ErrorCode } from '../../protocol/desk';
import { take, type Bucket } from './rate';

export const PING = '{"t":"ping"}';
export const PONG = '{"t":"pong"}';

/** The frame pair the runtime answers itself, without waking a hibernating object. */
export const pingPong = () => new WebSocketRequestResponsePair(PING, PONG);

export interface Attachment {
  role: 'visitor' | 'agent';
  agent: string | null;
  bucket: Bucket;
}

export const errorFrame = (code: ErrorCode, message: string, extra: Record<string, unknown> = {}) => ({ t: 'error' as const, code, message, ...extra });

/** Sends a frame; a socket that just closed is not an error of ours. */
export function send(ws: WebSocket, frame: unknown): void {
  try {
    ws.send(JSON.stringify(frame));
  } catch {
    // closed between the message and the answer
  }
}

/**
 * The frame's checked value, or null after answering the socket with an error:
 * `rate_limited` (dropped), `too_large` (over the frame bound or a text over its
 * limit) or `invalid_frame` (not JSON text, not one of the schema's frames).
 */
export function readFrame<S extends v.GenericSchema>(ws: WebSocket, message: string | ArrayBuffer, schema: S, now: number): v.InferOutput<S> | null {
  const a = ws.deserializeAttachment() as Attachment;
  const { bucket, ok } = take(a.bucket, L.ratePerSecond, L.rateBurst, now);
  ws.serializeAttachment({ ...a, bucket } satisfies Attachment);
  if (!ok) return send(ws, errorFrame('rate_limited', `at most ${L.ratePerSecond} frames a second (bursts of ${L.rateBurst}): this one was dropped`)), null;
  if (typeof message !== 'string') return send(ws, errorFrame('invalid_frame', 'frames are JSON text')), null;
  if (message.length > L.frameBytes) return send(ws, errorFrame('too_large', `a frame holds at most ${L.frameBytes} characters`)), null;
  let raw: unknown;
  try {
    raw = JSON.parse(message);
  } catch {
    return send(ws, errorFrame('invalid_frame', 'a frame is one JSON object')), null;
  }
  const parsed = v.safeParse(schema, raw, { abortEarly: true });
  if (parsed.success) return parsed.output;
  const issue = parsed.issues[0];
  const path = v.getDotPath(issue);
  const long = issue.type === 'max_length' && path === 'text';
  return send(ws, errorFrame(long ? 'too_large' : 'invalid_frame', path ? `"${path}" ${issue.message}` : issue.message)), null;
}

/** The error envelope, from inside an object (the route passes its status on). */
export const refuse = (status: number, code: string, message: string) => Response.json({ error: { code, message } }, { status });

/** Accepts a hibernatable socket with its role as tag and a full bucket: the client's end to answer with, and the object's. */
export function acceptSocket(ctx: DurableObjectState, a: Omit<Attachment, 'bucket'>, now: number): { client: WebSocket; server: WebSocket } {
  const [client, server] = Object.values(new WebSocketPair());
  ctx.acceptWebSocket(server, [a.role]);
  server.serializeAttachment({ ...a, bucket: { tokens: L.rateBurst, at: now } } satisfies Attachment);
  return { client, server };
}

/** Answers a client's close (the hibernation API leaves it to the object). */
export function closeBack(ws: WebSocket, code: number, reason: string): void {
  try {
    ws.close(code, reason);
  } catch {
    // already closed, or a code that cannot be sent back (1005, 1006)
  }
}

/** Runs a frame's handler; a bug of ours answers the socket instead of throwing out of the object. */
export async function guarded(ws: WebSocket, what: string, handle: () => Promise<void> | void): Promise<void> {
  try {
    await handle();
  } catch (err) {
    console.error(what, err);
    send(ws, errorFrame('internal', 'the frame could not be handled; send it again'));
  }
}
