// A custom site (a single-page app with its own bundler) that takes the SDK from
// npm instead of the script tag: `npm install o2o-tracker`, then this.
import { createTracker } from 'o2o-tracker';

// Create it once, in the browser (the import itself is safe during server-side rendering).
const tracker = createTracker({
  site: 'demo', // the site key registered with the worker
  endpoint: 'https://stats.example.cn', // the worker; /collect is appended
  consult: '#udesk-btn', // a third-party chat button also counts as a consult
  respectDnt: true, // send nothing under Global Privacy Control / Do Not Track (script tag: data-respect-dnt)
});
tracker.view(); // the landing view; later routes (pushState, popstate, #/ hash routes) are followed on their own

// After each route change has rendered: the SKU of the page, if the page has no
// <meta name="o2o:sku"> or [data-o2o-sku] element.
export function onRouteRendered(route) {
  if (route.sku) tracker.sku(route.sku);
}

// The brand's own appointment form component: send the appointment, show the lead code.
export async function submitAppointment({ store, budget, style, sku }) {
  const code = await tracker.appointment({ store, budget: Number(budget), style, sku }); // budget in yuan, as typed
  return code // show it: the customer gives it at the store
    ? `预约成功！您的预约码：${code}`
    : '预约已提交，门店顾问会尽快联系您。'; // the network failed: it is queued and retried, no code yet
}

// A custom event, e.g. when a coupon is claimed.
export const couponClaimed = (value) => tracker.track('coupon', { value });
