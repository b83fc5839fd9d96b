// Build-time switch. rollup defines __O2O_SCRIPT__ as true for the script tag
// (dist/o2o.js) and false for the npm build; the minifier drops what a build does
// not need. The script tag (2,048 B gzip budget) has every capture and delivery
// behaviour and leaves out only extras: the npm option checks and per-method guards
// (script.ts has its own), the internal referrer of SPA views (it sends
// document.referrer), data-o2o-lead-code, flush() and stop().
// Unbuilt sources (tests) get the npm side.
declare const __O2O_SCRIPT__: boolean | undefined;

export const SCRIPT_TAG: boolean = typeof __O2O_SCRIPT__ != 'undefined' && __O2O_SCRIPT__;
