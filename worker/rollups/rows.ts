// The rows the fold hands the rollups, as named tuples. A visitor's ledger keeps
// them as arrays (compact: one ledger rides on every visitor row), and the fold
// passes them to SQL as one JSON parameter of signed rows; the column names
// below are the one definition both sides read: the ledger by position in JS,
// the statements as `j.value ->> <position> AS <name>` (signedRows).

/** Per local day and credited touch pair: the online stages (touch_days). */
export const DAY_ROW = [
  'day', 'last_channel', 'last_campaign', 'last_promoter', 'first_channel', 'first_campaign', 'first_promoter',
  'views', 'consults', 'appointments',
] as const;
export type DayRow = [
  day: string, last_channel: string, last_campaign: string, last_promoter: string,
  first_channel: string, first_campaign: string, first_promoter: string,
  views: number, consults: number, appointments: number,
];
/** The columns before this position are a day row's key; from it on, its sums. */
export const DAY_KEY = DAY_ROW.indexOf('views');

/** Per local day, place and SKU: views, engaged dwell and stages (sku_chains, sku_totals, sku_pairs). */
export const SKU_ROW = ['day', 'region', 'city', 'sku', 'views', 'dwell_ms', 'consults', 'appointments'] as const;
export type SkuRow = [day: string, region: string, city: string, sku: string, views: number, dwell_ms: number, consults: number, appointments: number];
export const SKU_KEY = SKU_ROW.indexOf('views');
/** Where a SKU row holds its SKU (the fold diffs a visitor's rows per SKU). */
export const SKU_AT = SKU_ROW.indexOf('sku');

/** A row before (−1) or after (+1) a batch, of one visitor: the statements sum the difference. */
export type Signed<R extends unknown[]> = [s: 1 | -1, visitor_id: string, ...row: R];

/** The CTE `name` reading the JSON parameter ?2 of signed rows with these columns as a table. */
export function signedRows(name: string, row: readonly string[]): string {
  const cols = ['s', 'visitor_id', ...row];
  return `${name} AS (SELECT ${cols.map((c, i) => `j.value ->> ${i} AS ${c}`).join(', ')} FROM json_each(?2) AS j)`;
}
