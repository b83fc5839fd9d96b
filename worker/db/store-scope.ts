// A token's store scope in SQL: "this row's (site, store) is one of the token's
// pairs". The pairs are bound as JSON, never spliced; what is spliced is a
// placeholder and column names written in the calling module.
import type { StorePair } from '../../protocol/admin';

/** The condition, true for every row when the bound parameter is NULL (a token that sees every store). */
export const inStorePairs = (param: string, siteCol: string, storeCol: string): string =>
  `(${param} IS NULL OR EXISTS (SELECT 1 FROM json_each(${param}) j
     WHERE json_extract(j.value, '$.site') = ${siteCol} AND json_extract(j.value, '$.store') = ${storeCol}))`;

/** The value to bind for `inStorePairs`: null = no store restriction. */
export const pairsParam = (pairs: StorePair[] | null | undefined): string | null => (pairs ? JSON.stringify(pairs) : null);
