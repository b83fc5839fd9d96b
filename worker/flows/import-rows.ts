// A CRM or POS export read into rows: CSV as Chinese Excel saves it (GBK) or as
// anything else does (UTF-8, with or without BOM), or JSON. CSV headers may be
// Chinese or English; CSV money is yuan ("¥13,500.00"), JSON money is fen, as
// everywhere in the API. Each row is checked on its own: a bad row is reported
// with its number and never costs the good ones.
import * as v from 'valibot';
import { ImportJsonBody, ImportRow, type ImportRowInput } from '../../protocol/staff';
import { ApiError, badRequest } from '../errors';
import { problem } from '../validate/schema';
import { parseCsv } from '../reports/csv';

export const MAX_IMPORT_BYTES = 1024 * 1024;
export const MAX_IMPORT_ROWS = 1000;

/** CSV header (lower-cased, trimmed) → row field. */
const HEADERS: Record<string, keyof ImportRowInput> = {};
for (const [field, names] of Object.entries({
  key: ['key', 'order', 'order_no', 'order_id', 'receipt', '订单号', '订单编号', '单号', '销售单号', '小票号'],
  store: ['store', 'store_id', '门店', '门店编号', '门店id', '门店代码'],
  lead: ['lead', 'lead_code', '预约码', '预约单号', '预约单'],
  visitor: ['visitor', 'visitor_id', '访客id'],
  amount: ['amount', 'total', '金额', '成交金额', '实收金额', '订单金额'],
  budget: ['budget', '预算'],
  skus: ['skus', 'sku', '商品', '商品编码', 'sku编码', '货号'],
  at: ['at', 'date', 'time', 'datetime', '日期', '时间', '成交日期', '成交时间', '到店日期', '到店时间'],
} as Record<keyof ImportRowInput, string[]>)) {
  for (const n of names) HEADERS[n] = field as keyof ImportRowInput;
}

export type RowOrError = { row: number; input: ImportRowInput } | { row: number; key: string | null; error: { code: string; message: string } };

export interface ReadImport {
  encoding: 'utf-8' | 'gbk' | 'json';
  rows: RowOrError[];
}

/** The body's rows, each checked against ImportRow. 413 past MAX_IMPORT_BYTES, 400 when nothing is readable. */
export async function readImport(req: Request): Promise<ReadImport> {
  const bytes = new Uint8Array(await req.arrayBuffer());
  if (bytes.byteLength > MAX_IMPORT_BYTES) throw new ApiError(413, 'body_too_large', `an import is at most ${MAX_IMPORT_BYTES} bytes: split the file`);
  const type = req.headers.get('content-type') ?? '';
  if (/json/i.test(type)) return { encoding: 'json', rows: jsonRows(bytes) };
  const { text, encoding } = decode(bytes, /charset=\s*"?(gbk|gb2312|gb18030)/i.test(type));
  return { encoding, rows: csvRows(text) };
}

/** UTF-8 when the bytes are valid UTF-8 (or say so with a BOM); else GB18030, the superset of GBK that Excel's "CSV" writes in China. */
function decode(bytes: Uint8Array, saysGbk: boolean): { text: string; encoding: 'utf-8' | 'gbk' } {
  if (!saysGbk) {
    try {
      return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes), encoding: 'utf-8' };
    } catch {
      // not UTF-8: fall through to GBK
    }
  }
  return { text: new TextDecoder('gb18030').decode(bytes), encoding: 'gbk' };
}

function jsonRows(bytes: Uint8Array): RowOrError[] {
  let body: unknown;
  try {
    body = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw badRequest('invalid_json', 'body is not valid JSON');
  }
  const r = v.safeParse(ImportJsonBody, body);
  if (!r.success) throw problem(r.issues, 'field');
  return r.output.rows.map((raw, i) => checkRow(i + 1, raw));
}

function csvRows(text: string): RowOrError[] {
  const [head, ...lines] = parseCsv(text);
  if (!head) throw badRequest('invalid_csv', 'the file is empty');
  const fields = head.map((h) => HEADERS[h.trim().toLowerCase()]);
  if (!fields.includes('store')) throw badRequest('invalid_csv', `no store column: name one "store" or "门店" (the header row was: ${head.join(', ').slice(0, 200)})`);
  if (lines.length > MAX_IMPORT_ROWS) throw badRequest('too_many_rows', `an import is at most ${MAX_IMPORT_ROWS} rows: split the file`);
  return lines.map((cells, i) => {
    const raw: Record<string, unknown> = {};
    cells.forEach((cell, j) => {
      const f = fields[j];
      const s = cell.trim();
      if (!f || !s) return;
      if (f === 'amount' || f === 'budget') raw[f] = yuanToFen(s);
      else if (f === 'skus') raw[f] = s.split(/[;|,，、\s]+/).filter(Boolean);
      else raw[f] = s;
    });
    return checkRow(i + 1, raw);
  });
}

function checkRow(row: number, raw: unknown): RowOrError {
  const r = v.safeParse(ImportRow, raw, { abortPipeEarly: true });
  if (r.success) return { row, input: r.output };
  const e = problem(r.issues, 'field', { amount: 'invalid_amount', budget: 'invalid_amount' });
  const key = typeof (raw as { key?: unknown })?.key === 'string' ? ((raw as { key: string }).key) : null;
  return { row, key, error: { code: e.code, message: e.message } };
}

/** "¥13,500.00" → 1350000 fen; anything else stays as it was, for the row's check to refuse. */
export function yuanToFen(s: string): unknown {
  const t = s.replace(/[¥￥,，\s]|元$/g, '');
  const m = /^(\d{1,12})(?:\.(\d{1,2}))?$/.exec(t);
  if (!m) return s;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}
