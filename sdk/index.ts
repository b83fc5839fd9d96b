// The npm entry: `import { createTracker } from 'o2o-tracker'`.
export { createTracker } from './tracker';
export type { Tracker, TrackerOptions } from './tracker';
export type { Batch, CollectResult, WireEvent, BrowserEventType, Props } from './protocol';
