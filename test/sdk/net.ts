// The network, stubbed (the only thing SDK tests replace): navigator.sendBeacon,
// navigator.onLine and fetch record what the SDK sends and answer as told.
import { vi } from 'vitest';
import type { Batch, WireEvent } from '../../protocol/wire';

export interface Sent {
  via: 'beacon' | 'fetch';
  url: string;
  batch: Batch;
  keepalive?: boolean;
}

export const net = {
  sent: [] as Sent[],
  online: true,
  beacon: true as boolean | 'throw', // what sendBeacon returns (or throws)
  /** How fetch answers: a status and body, 'offline' (rejects), 'hang' (never settles: the page closes first) or a function of the batch. */
  answer: { status: 202, body: {} } as { status: number; body: unknown } | 'offline' | 'hang' | ((b: Batch) => { status: number; body: unknown }),
};

export function installNet(): void {
  net.sent = [];
  net.online = true;
  net.beacon = true;
  net.answer = { status: 202, body: {} };
  Object.defineProperty(navigator, 'onLine', { configurable: true, get: () => net.online });
  Object.defineProperty(navigator, 'sendBeacon', {
    configurable: true,
    value: (url: string, body: string) => {
      if (net.beacon === 'throw') throw new Error('beacon broke');
      if (net.beacon) net.sent.push({ via: 'beacon', url, batch: JSON.parse(body) });
      return net.beacon;
    },
  });
  vi.stubGlobal('fetch', (url: string, init: RequestInit) => {
    const batch = JSON.parse(init.body as string) as Batch;
    const a = typeof net.answer === 'function' ? net.answer(batch) : net.answer;
    if (a === 'offline') return Promise.reject(new TypeError('Failed to fetch'));
    if (a === 'hang') return new Promise(() => {});
    net.sent.push({ via: 'fetch', url, batch, keepalive: init.keepalive });
    return Promise.resolve({ status: a.status, json: async () => a.body });
  });
}

/** Every event sent so far, in order, optionally of one type. */
export const events = (t?: WireEvent['t']): WireEvent[] => net.sent.flatMap((s) => s.batch.e).filter((e) => !t || e.t === t);

/** Lets promise callbacks (fetch answers) run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}

let hidden = false;
/** Hides or shows the page as a browser does: document.hidden, then visibilitychange. */
export function setHidden(h: boolean): void {
  hidden = h;
  Object.defineProperty(document, 'hidden', { configurable: true, get: () => hidden });
  document.dispatchEvent(new Event('visibilitychange'));
}
