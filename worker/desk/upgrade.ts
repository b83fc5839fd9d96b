// WebSocket upgrades through the Hono app: only an `Upgrade: websocket` request
// goes on to an object, and an object's 101 is handed back as a fresh response
// (a fetched response's headers are immutable; the app's security headers
// middleware sets one on every answer).
import type { MiddlewareHandler } from 'hono';
import { ApiError } from '../errors';

export const upgradeOnly: MiddlewareHandler = async function upgradeOnly(c, next) {
  if (c.req.header('upgrade')?.toLowerCase() !== 'websocket') {
    throw new ApiError(426, 'upgrade_required', 'this endpoint is a WebSocket: send "Upgrade: websocket"', undefined, { Upgrade: 'websocket' });
  }
  await next();
};

/** The object's answer: its socket, or its error envelope as is. */
export function passSocket(res: Response): Response {
  if (res.status !== 101 || !res.webSocket) return new Response(res.body, res);
  return new Response(null, { status: 101, webSocket: res.webSocket });
}
