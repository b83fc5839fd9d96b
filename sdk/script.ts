// The script-tag entry: configured by data- attributes on its own <script>.
import { createTracker } from './tracker';

(() => {
  try {
    const el = document.currentScript as HTMLScriptElement | null;
    const site = el?.dataset.site;
    if (!el || !site) {
      console.warn('o2o: add data-site="<site key>" to the o2o.js script tag');
      return;
    }
    const endpoint = el.dataset.endpoint || new URL(el.src, location.href).origin;
    const t = createTracker({ site, endpoint, channelParam: el.dataset.channelParam });
    t.view();
  } catch {
    // A broken tracker must never break the storefront.
  }
})();
