// Engaged time: counted only while the page is visible and the visitor is
// active. Each gap between two inputs counts up to DWELL_IDLE_MS: after 30 s
// without input the clock has stopped until the next input. No timers and no
// heartbeats: the tracker reads the clock only when it sends a dwell.
import { DWELL_IDLE_MS } from './protocol';

/** Input that counts as activity (pointer, key, scroll, touch); mousemove rather than pointer events for old WebViews. */
export const ACTIVITY = 'mousemove keydown scroll touchstart';

/**
 * A clock as three functions:
 * input() — activity, or the page coming back into view: counts the gap since the last input, capped;
 * pause() — the page is hidden or left: counts up to now, then stops until the next input;
 * take() — the engaged ms accrued since the last take.
 */
export function engagedClock(idleMs = DWELL_IDLE_MS): [input: () => void, pause: () => void, take: () => number] {
  let acc = 0; // ms accrued since the last take
  let last = 0; // last input; 0 = stopped (hidden)
  const tick = (next: number) => {
    const now = Date.now();
    if (last) acc += Math.min(now - last, idleMs);
    last = next && now;
  };
  return [
    () => tick(+!document.hidden),
    () => tick(0),
    () => {
      // The reading moves `last` to now; navigations that call this follow an input anyway.
      tick(last);
      const d = acc;
      acc = 0;
      return d;
    },
  ];
}
