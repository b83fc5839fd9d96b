// The script-tag entry: configured by data- attributes on its own <script>,
// exposes window.o2o(command, ...args) and replays the calls the one-line stub
// queued before the script loaded (see README, "The script tag").
import { guard } from './guard';
import { createTracker, type Tracker } from './tracker';

type O2o = ((command: keyof Tracker, ...args: unknown[]) => unknown) & { q?: ArrayLike<unknown>[] };

// Top level: rollup's IIFE output wraps the bundle (the build turns it into a block: its `let`s stay out of window).
const w = window as unknown as { o2o?: O2o };
try {
  const el = document.currentScript as HTMLScriptElement;
  const d = el.dataset;
  if (!d.site) throw 'no data-site'; // the one fail-fast check: the console says what to add
  // data-respect-dnt honours GPC / DNT by its presence; the endpoint defaults to the script's own origin.
  const t = createTracker({ ...(d as { site: string }), respectDnt: 'respectDnt' in d, endpoint: '' + new URL(d.endpoint || '/', el.src) }) as unknown as Record<string, (...a: unknown[]) => unknown>;
  const queued = (w.o2o || {}).q || [];
  // The one entry point of the page's calls; nothing thrown inside reaches the page.
  w.o2o = guard((m, ...a) => t[m](...a)); // an unknown command or a failure: ignored
  for (const args of queued) w.o2o(...(args as Parameters<O2o>));
  t.view();
} catch (e) {
  // A broken set-up must never break the storefront; say why in the console.
  console.warn('o2o.js:', e);
}
