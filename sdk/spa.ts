// Single-page navigation: history.pushState / replaceState (patched, once per
// tracker), popstate and hashchange all call `changed`; the tracker decides
// whether the route really changed.

export function onNavigate(changed: () => void, listen: (types: string, fn: () => void) => void): void {
  for (const m of ['pushState', 'replaceState'] as const) {
    const orig = history[m];
    history[m] = (...args: Parameters<History['pushState']>) => {
      // The page's own call first, untouched (its errors are its own); then ours, which never throws.
      orig.apply(history, args);
      changed();
    };
  }
  listen('popstate hashchange', changed);
}
