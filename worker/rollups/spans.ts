// How a report's date range is read from sku_chains: the days before its first
// whole ten-day block, the whole blocks (days 1-10, 11-20, 21-end of a month,
// each named by its first day), and the days after. Each part is an inclusive
// [first, last] pair; an empty part is ['1', '0'], which no day string is between.

const EMPTY: [string, string] = ['1', '0'];
const DAY = 86_400_000;
const toMs = (d: string) => Date.UTC(+d.slice(0, 4), +d.slice(5, 7) - 1, +d.slice(8, 10));
const fromMs = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const addDays = (d: string, n: number) => fromMs(toMs(d) + n * DAY);

/** The first day of the ten-day block holding `day`. */
export function blockStart(day: string): string {
  const dd = +day.slice(8, 10);
  return `${day.slice(0, 8)}${dd <= 10 ? '01' : dd <= 20 ? '11' : '21'}`;
}

/** The first day of the block after the one starting on `start`. */
export function nextBlock(start: string): string {
  const dd = start.slice(8, 10);
  if (dd === '01') return `${start.slice(0, 8)}11`;
  if (dd === '11') return `${start.slice(0, 8)}21`;
  const next = new Date(Date.UTC(+start.slice(0, 4), +start.slice(5, 7), 1)); // month index +1 = next month
  return fromMs(next.getTime());
}

export interface Spans {
  head: [string, string]; // days read from daily rows before the blocks
  blocks: [string, string]; // first days of the whole blocks
  tail: [string, string]; // days read from daily rows after the blocks
}

export function spans(from: string, to: string): Spans {
  const first = blockStart(from) === from ? from : nextBlock(blockStart(from));
  let last: string | null = null;
  for (let b = first; addDays(nextBlock(b), -1) <= to; b = nextBlock(b)) last = b;
  if (last === null) return { head: [from, to], blocks: EMPTY, tail: EMPTY };
  const after = nextBlock(last);
  return {
    head: first > from ? [from, addDays(first, -1)] : EMPTY,
    blocks: [first, last],
    tail: after <= to ? [after, to] : EMPTY,
  };
}
