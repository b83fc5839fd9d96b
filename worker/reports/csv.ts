// CSV for spreadsheets: UTF-8 with a BOM (so Excel reads Chinese text right),
// CRLF line ends, and RFC 4180 quoting; plus the small parser spend uploads use.
// Every CSV the worker writes goes through `cell` (reports, the service report).

export const BOM = '\uFEFF';

/**
 * The formula rule. Channel codes, campaign names, SKUs, agents and topics come
 * from URLs and systems anyone can feed, and a spreadsheet must show them, never
 * run them. A *string* cell is prefixed with an apostrophe (OWASP's rule: the
 * sheet shows the text, the apostrophe is hidden or harmless) when
 * - it begins with tab, CR or LF: OWASP's list; a sheet may trim them and read on;
 * - or its first character after any leading whitespace (spaces, tabs, line
 *   breaks, the full-width space U+3000: Excel, WPS and LibreOffice skip them on
 *   import, so ` =1+1` is still a formula), read in NFKC compatibility form (so
 *   full-width ＝＋－＠ and small forms ﹦﹢﹣ count as = + - @, which WPS and
 *   Excel's East Asian input accept as formula starts), is one of
 *   `=` `+` `-` `@`: formula starts in every spreadsheet (`@` in Lotus syntax,
 *     `+`/`-` start arithmetic: `-2+3+cmd|' /C calc'!A0`);
 *   `|`: the DDE separator (`cmd|' /C calc'!A0`); no report cell starts with it,
 *     so defusing costs nothing and closes the DDE form in any importer;
 *   `;`: the list separator of semicolon locales (de, fr, ru Excel; WPS set so):
 *     there a cell is split at `;` and what follows starts a new cell.
 * Independently, a cell holding `;` is quoted (like `,`), so a semicolon-locale
 * sheet never splits it. Numbers, booleans and objects are never prefixed: a
 * negative amount or count we write stays a number.
 */
const STARTER = /^[=+\-@|;]/;
const QUOTE = /[",;\r\n]/;

/** Whether text would start a formula in a spreadsheet (see the rule above). */
export function looksLikeFormula(s: string): boolean {
  if (/^[\t\r\n]/.test(s)) return true;
  // \s covers space, tab, CR, LF, U+3000 and the other Unicode blanks; NFKC of
  // the next few characters is enough to fold a full-width starter.
  const head = s.replace(/^\s+/, '').slice(0, 8).normalize('NFKC').replace(/^\s+/, '');
  return STARTER.test(head);
}

/** One field: formula-looking text defused, then quoted when it holds a quote, comma, semicolon or line break. */
export function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  let s = typeof v === 'object' ? JSON.stringify(v) : String(v);
  if (typeof v === 'string' && looksLikeFormula(s)) s = `'${s}`;
  return QUOTE.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** `headers`: the header row's text, column by column (the keys by default). */
export function toCsv(columns: string[], rows: Record<string, unknown>[], headers: string[] = columns): string {
  const lines = [headers.map(cell).join(',')];
  for (const r of rows) lines.push(columns.map((c) => cell(r[c])).join(','));
  return BOM + lines.join('\r\n') + '\r\n';
}

export function csvResponse(text: string, name: string): Response {
  return new Response(text, {
    headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${name}.csv"` },
  });
}

/** Parses RFC 4180 CSV (quoted fields, doubled quotes, CR/LF/CRLF); a leading BOM is ignored. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let f = '';
  let q = false;
  const s = text.startsWith(BOM) ? text.slice(1) : text;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (q) {
      if (ch === '"' && s[i + 1] === '"') {
        f += '"';
        i++;
      }
      else if (ch === '"') q = false;
      else f += ch;
    } else if (ch === '"' && f === '') q = true;
    else if (ch === ',') {
      row.push(f);
      f = '';
    }
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && s[i + 1] === '\n') i++;
      row.push(f);
      rows.push(row);
      f = '';
      row = [];
    } else f += ch;
  }
  if (f !== '' || row.length) {
    row.push(f);
    rows.push(row);
  }
  return rows.filter((r) => !(r.length === 1 && r[0].trim() === ''));
}
