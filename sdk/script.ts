// The script-tag entry: configured by data- attributes on its own <script>,
// exposes window.o2o(command, ...args) and replays the calls the one-line stub
// queued before the script loaded (see README, "The script tag").
import { guard } from './guard';
import { createTracker, type Tracker, type TrackerOptions } from './tracker';

type O2o = ((command: keyof Tracker, ...args: unknown[]) => unknown) & { q?: ArrayLike<unknown>[] };

declare global {
  interface Window {
    o2o?: O2o; // the page's entry point, and the stub's queue before this script ran
  }
}

// Top level: rollup's IIFE output wraps the bundle (the build turns it into a block: its `let`s stay out of window).
// `window.o2o` each time, not an alias: 3 B fewer.
try {
  const el = document.currentScript as HTMLScriptElement;
  const d = el.dataset;
  if (!d.site) throw 'no data-site'; // the one fail-fast check: the console says what to add
  // The dataset is the options (data-channel-param is channelParam, …): createTracker reads data-respect-dnt by its
  // presence and resolves data-endpoint against this script's URL, by default its origin (tracker.ts, SCRIPT_TAG).
  const t = createTracker(d as unknown as TrackerOptions) as unknown as Record<string, (...a: unknown[]) => unknown>;
  const queued = (window.o2o || {}).q || [];
  // The one entry point of the page's calls; nothing thrown inside reaches the page.
  window.o2o = guard((m, ...a) => t[m](...a)); // an unknown command or a failure: ignored
  for (const args of queued) window.o2o(...(args as Parameters<O2o>));
  t.view();
} catch (e) {
  // A broken set-up must never break the storefront; say why in the console.
  console.warn('o2o.js:', e);
}
