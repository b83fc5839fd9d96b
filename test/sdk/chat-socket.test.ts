// The chat widget's connection (sdk/chat/socket.ts) against a stand-in for the
// network only: a fake WebSocket that records what is sent and lets the test
// open, answer and drop it. A reconnect says hello with the last seq seen and
// sends the unacknowledged messages again with the same ids; an acknowledged
// one is never sent again.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { chatSocket, type Pending } from '../../sdk/chat/socket';
import type { RoomOut } from '../../protocol/desk';

class FakeSocket {
  static all: FakeSocket[] = [];
  readyState = 0;
  sent: Record<string, unknown>[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((e: { data: string }) => void) | null = null;
  onclose: (() => void) | null = null;
  constructor(public url: string) {
    FakeSocket.all.push(this);
  }
  send(s: string) {
    this.sent.push(JSON.parse(s));
  }
  close() {
    this.readyState = 3;
  }
  open() {
    this.readyState = 1;
    this.onopen?.();
  }
  answer(f: RoomOut) {
    this.onmessage?.({ data: JSON.stringify(f) });
  }
  drop() {
    this.readyState = 3;
    this.onclose?.();
  }
}
const last = () => FakeSocket.all[FakeSocket.all.length - 1];

beforeEach(() => {
  vi.useFakeTimers();
  FakeSocket.all = [];
  vi.stubGlobal('WebSocket', FakeSocket);
});
afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

function start(pending: Pending[] = []) {
  const frames: RoomOut[] = [];
  const kept: Pending[][] = [];
  const live: boolean[] = [];
  const s = chatSocket('wss://x/chat/ws?c=1', pending, { frame: (f) => frames.push(f), pending: (p) => kept.push(p), live: (up) => live.push(up) });
  return { s, frames, kept, live };
}

describe('the chat socket', () => {
  it('says hello from 0 and sends what an earlier page left unacknowledged', () => {
    start([{ id: 'm0', text: 'left over' }]);
    last().open();
    expect(last().sent).toEqual([{ t: 'hello', since: 0 }, { t: 'msg', id: 'm0', text: 'left over' }]);
  });

  it('after a drop, reconnects with backoff, says hello with the last seq and resends only the unacknowledged, same ids', () => {
    const { s, kept, live } = start();
    const first = last();
    first.open();
    first.answer({ t: 'msg', seq: 1, id: 'a1', from: 'agent', text: '您好', at: 1 });
    s.send({ id: 'm1', text: '沙发有现货吗' });
    s.send({ id: 'm2', text: '周末能送吗' });
    first.answer({ t: 'ack', id: 'm1', seq: 2 });
    expect(kept.at(-1)).toEqual([{ id: 'm2', text: '周末能送吗' }]);
    first.drop();
    expect(live).toEqual([true, false]);
    expect(FakeSocket.all).toHaveLength(1);
    vi.advanceTimersByTime(1000); // the first retry comes within 1 s (jittered from 0.5 s)
    expect(FakeSocket.all).toHaveLength(2);
    last().open();
    expect(last().sent).toEqual([{ t: 'hello', since: 2 }, { t: 'msg', id: 'm2', text: '周末能送吗' }]);
    // The room acks the resend again (stored once): it leaves the pending list for good.
    last().answer({ t: 'ack', id: 'm2', seq: 3 });
    expect(kept.at(-1)).toEqual([]);
    last().drop();
    vi.advanceTimersByTime(2000);
    last().open();
    expect(last().sent).toEqual([{ t: 'hello', since: 3 }]);
  });

  it('backs off 1, 2, 4 … s up to 30 s while the connection keeps failing, and at once when the browser is online again', () => {
    start();
    const times: number[] = [];
    for (let i = 0; i < 7; i++) {
      const n = FakeSocket.all.length;
      last().drop();
      const t0 = Date.now();
      while (FakeSocket.all.length === n) vi.advanceTimersByTime(50);
      times.push(Date.now() - t0);
    }
    times.forEach((t, i) => expect(t).toBeLessThanOrEqual(Math.min(30_000, 1000 * 2 ** i) + 50));
    expect(times[6]).toBeGreaterThanOrEqual(15_000); // 30 s jittered down to at most half
    last().drop();
    const n = FakeSocket.all.length;
    dispatchEvent(new Event('online'));
    expect(FakeSocket.all).toHaveLength(n + 1);
  });

  it('coming back into view, pings a socket that looks open and replaces it when nothing answers', () => {
    const { s } = start();
    const first = last();
    first.open();
    document.dispatchEvent(new Event('visibilitychange'));
    expect(first.sent.at(-1)).toEqual({ t: 'ping' });
    vi.advanceTimersByTime(5000);
    expect(FakeSocket.all).toHaveLength(2); // the dead one was dropped and a new one opened at once
    last().open();
    expect(last().sent[0]).toEqual({ t: 'hello', since: 0 });
    s.close();
  });

  it('keeps a socket that answers the ping', () => {
    const { s } = start();
    last().open();
    document.dispatchEvent(new Event('visibilitychange'));
    last().answer({ t: 'pong' } as unknown as RoomOut);
    vi.advanceTimersByTime(10_000);
    expect(FakeSocket.all).toHaveLength(1);
    s.close(); // its listeners would otherwise answer the next test's events
  });

  it('pings again on every wake after an answered ping, and replaces a socket that died after answering once', () => {
    const { s } = start();
    const first = last();
    first.open();
    document.dispatchEvent(new Event('visibilitychange'));
    first.answer({ t: 'pong' } as unknown as RoomOut);
    const pings = () => first.sent.filter((f) => f.t === 'ping').length;
    expect(pings()).toBe(1);
    document.dispatchEvent(new Event('visibilitychange')); // the phone slept again, and this time the socket is dead
    expect(pings()).toBe(2);
    vi.advanceTimersByTime(5000);
    expect(FakeSocket.all).toHaveLength(2);
    s.close();
  });

  it('after a burst of rate-limit errors, resends the pending messages once, not once per error', () => {
    const pending = Array.from({ length: 20 }, (_, i) => ({ id: `m${i}`, text: `hello ${i}` }));
    const { s } = start(pending as Pending[]);
    const sock = last();
    sock.open();
    const msgs = () => sock.sent.filter((f) => f.t === 'msg').length;
    expect(msgs()).toBe(20);
    for (let i = 0; i < 11; i++) sock.answer({ t: 'error', code: 'rate_limited', message: 'slow down' } as unknown as RoomOut);
    vi.advanceTimersByTime(2500);
    expect(msgs()).toBe(40); // one resend of the 20 still pending
    vi.advanceTimersByTime(10_000);
    expect(msgs()).toBe(40);
    s.close();
  });

  it('closed, connects no more', () => {
    const { s } = start();
    last().open();
    s.close();
    vi.advanceTimersByTime(60_000);
    dispatchEvent(new Event('online'));
    expect(FakeSocket.all).toHaveLength(1);
  });
});
