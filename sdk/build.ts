// Build-time switch. rollup defines __O2O_SCRIPT__ as true for the script tag
// (dist/o2o.js) and false for the npm build; the minifier drops what a build does
// not need. The script tag (2,048 B gzip budget) leaves out: the npm option checks
// and per-method guards (script.ts has its own), client-side bounding of custom
// props (the worker refuses only an offending event), the dropped-events count,
// the internal referrer of SPA views, data-o2o-lead-code, flush() and stop().
// Unbuilt sources (tests) get the npm side.
declare const __O2O_SCRIPT__: boolean | undefined;

export const SCRIPT_TAG: boolean = typeof __O2O_SCRIPT__ != 'undefined' && __O2O_SCRIPT__;
