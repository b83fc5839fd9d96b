// The npm entry: `import { createTracker } from 'o2o-tracker'`. ESM, tree-shakeable,
// and safe to import during server-side rendering: no browser global is touched
// until createTracker() runs in the browser.
export { createTracker } from './tracker';
export type { Tracker, TrackerOptions } from './tracker';
export { DROPPED_EVENT, LIMITS } from '../protocol/wire';
export type { Batch, CollectResult, WireEvent, BrowserEventType, Props } from '../protocol/wire';
