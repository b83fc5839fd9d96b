// CSV for spreadsheets: UTF-8 with a BOM (so Excel reads Chinese text right),
// CRLF line ends, and RFC 4180 quoting; plus the small parser spend uploads use.
// Every CSV the worker writes goes through `cell`.

export const BOM = '\uFEFF';

/**
 * One field. Text that starts like a formula (=, +, -, @) is prefixed with an
 * apostrophe: channel codes and campaign names come from URLs anyone can craft,
 * and a spreadsheet must show them, never run them.
 */
export function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  let s = typeof v === 'object' ? JSON.stringify(v) : String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(columns: string[], rows: Record<string, unknown>[]): string {
  const lines = [columns.map(cell).join(',')];
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
      if (ch === '"' && s[i + 1] === '"') (f += '"'), i++;
      else if (ch === '"') q = false;
      else f += ch;
    } else if (ch === '"' && f === '') q = true;
    else if (ch === ',') row.push(f), (f = '');
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && s[i + 1] === '\n') i++;
      row.push(f), (f = '');
      rows.push(row), (row = []);
    } else f += ch;
  }
  if (f !== '' || row.length) row.push(f), rows.push(row);
  return rows.filter((r) => !(r.length === 1 && r[0].trim() === ''));
}
