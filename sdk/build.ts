// Build-time switch. rollup defines __O2O_SCRIPT__ as true for the script tag
// (dist/o2o.js) and false for the npm build. Every feature is in both builds; the
// script tag only drops what its own entry (script.ts) does instead: the npm option
// checks and their messages, and the per-method guards (o2o() has one try/catch).
// Unbuilt sources (tests) get the npm side.
declare const __O2O_SCRIPT__: boolean | undefined;

export const SCRIPT_TAG: boolean = typeof __O2O_SCRIPT__ != 'undefined' && __O2O_SCRIPT__;
