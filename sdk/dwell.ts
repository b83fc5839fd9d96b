// Engaged time: counted only while the page is visible and the visitor is
// active. Each gap between two inputs counts up to DWELL_IDLE_MS: after 30 s
// without input the clock has stopped until the next input. No timers and no
// heartbeats: the tracker reads the clock only when it sends a dwell.
import { DWELL_IDLE_MS } from '../protocol/wire';

/** Input that counts as activity: pointer events cover mouse, pen and touch (every browser since 2019: Chrome 55, Safari 13); keys; scrolling. */
export const ACTIVITY = 'keydown scroll pointermove pointerdown';

/**
 * A clock as one function, `clock(run, take)`: counts the gap since the last input
 * (at most `idleMs`), then runs from now (`run` truthy: an input on a visible page)
 * or stops (the page is hidden or left); returns the engaged ms accrued since the
 * last take, and with `take` starts the count over.
 * @example clock(!document.hidden) on input; const ms = clock(0, 1) when the page is hidden.
 */
export function engagedClock(): (run: unknown, take?: 1) => number {
  let acc = 0; // ms accrued since the last take
  let last = 0; // last input; 0 = stopped (hidden or left)
  return (run, take) => {
    const now = Date.now();
    if (last) acc += Math.min(now - last, DWELL_IDLE_MS);
    last = run ? now : 0;
    run = acc;
    if (take) acc = 0;
    return run as number;
  };
}
