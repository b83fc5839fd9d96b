// Engaged time: counted only while the page is visible and the visitor is
// active. Each gap between two inputs counts up to DWELL_IDLE_MS: after 30 s
// without input the clock has stopped until the next input. No timers and no
// heartbeats: the tracker reads the clock only when it sends a dwell. The clock
// itself is a few lines of the tracker (tracker.ts, `clock` and `dwell`): as a
// closure here it cost the script tag 14 B gzip (issue 19).

/** Input that counts as activity: pointer events cover mouse, pen and touch (every browser since 2019: Chrome 55, Safari 13); keys; scrolling. */
export const ACTIVITY = 'keydown scroll pointermove pointerdown';
