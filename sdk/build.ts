// Build-time switch. rollup defines __O2O_SCRIPT__ as true for the script tag
// (dist/o2o.js) and false for the npm build, so the minifier drops what the script
// tag does not need (option checks and their messages, stop/flush, per-method
// guards) to keep it within its 2 KB budget. Unbuilt sources (tests) get the npm side.
declare const __O2O_SCRIPT__: boolean | undefined;

export const SCRIPT_TAG: boolean = typeof __O2O_SCRIPT__ != 'undefined' && __O2O_SCRIPT__;
