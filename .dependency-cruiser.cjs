// The import rules of the house (README, "Code map"). Layers, lowest first;
// a module may import its own layer and the ones below, never one above:
//   0 protocol/, worker/{time,errors}.ts    the contract and the basics
//   1 worker/attribution/                     the touch model and how a landing is classified
//   2 worker/db/, worker/archive/             table access, the event-chunk format
//   3 worker/rollups/                         each aggregate's encoding, decoding and SQL
//   4 worker/auth/, crm/, validate/, enrich   cross-cutting services
//   5 worker/flows/, ingest/, reports/, conversations/, robots/, desk/ and adplatforms/ (not their routes)   features
//   6 worker/routes/, middleware/, conversations/route-*, robots/route-*, desk/route-*, adplatforms/route-*, app, index, scheduled   HTTP and entry points
// worker/env.ts only declares the bindings' types (the queue's message type
// among them), so it is outside the layers. sdk/ imports only protocol/wire.ts
// and itself, the dashboard only protocol/ and itself; protocol/ imports
// nothing but valibot.
const layers = [
  ['^protocol/', '^worker/(time|errors)\\.ts$'],
  ['^worker/attribution/'],
  ['^worker/db/', '^worker/archive/'],
  ['^worker/rollups/'],
  ['^worker/(auth|crm|validate)/', '^worker/(enrich|security-headers)\\.ts$'],
  ['^worker/(flows|ingest|reports)/', '^worker/(conversations|robots|desk|adplatforms)/(?!route-)'],
  ['^worker/(routes|middleware)/', '^worker/(conversations|robots|desk|adplatforms)/route-', '^worker/(app|index|scheduled)\\.ts$'],
];
const any = (paths) => `(${paths.join('|')})`;
const upward = layers.slice(0, -1).map((paths, i) => ({
  name: `layer-${i}-imports-up`,
  comment: `layer ${i} (${paths.join(', ')}) imports a higher layer`,
  severity: 'error',
  from: { path: any(paths) },
  to: { path: any(layers.slice(i + 1).flat()) },
}));

module.exports = {
  forbidden: [
    ...upward,
    { name: 'no-cycles', severity: 'error', from: {}, to: { circular: true } },
    { name: 'protocol-stands-alone', severity: 'error', from: { path: '^protocol/' }, to: { pathNot: '^protocol/|^node_modules/valibot/' } },
    // The script tag takes the wire format only: no schema library in the browser bundle.
    { name: 'sdk-takes-the-wire-only', severity: 'error', from: { path: '^sdk/(?!chat/)' }, to: { path: '^protocol/', pathNot: '^protocol/wire\\.ts$' } },
    // The chat widget (chat.js, its own bundle) takes the desk's frames too: types, no schema.
    { name: 'chat-takes-the-wire-and-desk', severity: 'error', from: { path: '^sdk/chat/' }, to: { path: '^protocol/', pathNot: '^protocol/(wire|desk)\\.ts$' } },
    { name: 'sdk-imports-only-protocol', severity: 'error', from: { path: '^sdk/' }, to: { pathNot: '^(sdk|protocol)/' } },
    // The mini program build (sdk/miniprogram/) takes the wire format, its own modules and, of the web SDK's, only the
    // pure guard(): the rest is shaped to the script tag's byte budget and may change under it. The web SDK never imports it.
    { name: 'miniprogram-takes-the-wire-only', severity: 'error', from: { path: '^sdk/miniprogram/' }, to: { pathNot: '^(sdk/miniprogram/|sdk/guard\\.ts$|protocol/wire\\.ts$)' } },
    { name: 'web-sdk-leaves-the-miniprogram', severity: 'error', from: { path: '^sdk/(?!miniprogram/)' }, to: { path: '^sdk/miniprogram/' } },
    { name: 'dashboard-imports-only-protocol', severity: 'error', from: { path: '^worker/dashboard/', pathNot: '^worker/dashboard/build\\.mjs$' }, to: { pathNot: '^(worker/dashboard|protocol)/|^node_modules/echarts' } },
    { name: 'nothing-imports-tests', severity: 'error', from: { pathNot: '^test/' }, to: { path: '^test/' } },
    // The runtime's own modules (the Durable Object base class) exist only in workerd.
    { name: 'unresolvable', severity: 'error', from: {}, to: { couldNotResolve: true, pathNot: '^cloudflare:workers$' } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^worker/dashboard/dist/' },
    tsPreCompilationDeps: true, // type-only imports count: a type is part of the layer it lives in
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};
