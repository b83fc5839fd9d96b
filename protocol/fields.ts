// The fields every API shares, as valibot schemas: the worker validates with
// them and the OpenAPI description is generated from them, so the contract is
// written once. Messages say what a value must be; the worker prefixes the field.
import * as v from 'valibot';
import { LIMITS } from './wire';

const key = (what: string, max = 64) =>
  v.pipe(v.string(`must be ${what}`), v.minLength(1, `must be ${what}`), v.maxLength(max, `must be ${what} of at most ${max} characters`));

export const siteKey = v.pipe(key('a site key'), v.description('The site key (the `data-site` of the script tag).'), v.examples(['demo']));
export const storeId = v.pipe(key('a store id'), v.description('A store id of the site.'), v.examples(['sh-xuhui']));
export const visitorId = v.pipe(
  key('a visitor id', LIMITS.idLength),
  v.regex(/^[A-Za-z0-9_-]+$/, `must be a visitor id: at most ${LIMITS.idLength} URL-safe characters`),
  v.description("The script tag's visitor id (localStorage `o2o.v`)."),
);
/** A lead code as typed or scanned; the worker normalises case and look-alikes. */
export const leadCode = v.pipe(v.string('must be a lead code'), v.maxLength(32, 'must be a lead code'), v.description('The 6-character lead code shown to the customer (case and look-alike characters are forgiven).'), v.examples(['2Y649R']));
export const sku = v.pipe(key('a SKU', LIMITS.skuLength), v.examples(['SOFA-01']));
export const skuList = v.pipe(v.array(sku, 'must be an array of SKUs'), v.minLength(1, 'must list at least one SKU'), v.maxLength(LIMITS.maxSkus, `must list at most ${LIMITS.maxSkus} SKUs`));

/** A local day of the site's timezone. */
export const day = v.pipe(
  v.string('must be a date as YYYY-MM-DD'),
  v.isoDate('must be a date as YYYY-MM-DD'),
  v.check((s) => new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), 'must be a date that exists'),
  v.examples(['2026-12-01']),
);

export const MAX_MINOR = 1e13; // 100 billion yuan in fen: far past any sale, well inside a safe integer
/** Money: integer minor units of the site's currency (fen for CNY). */
export const minorUnits = (min: number) =>
  v.pipe(
    v.number(`must be an integer number of minor units (fen) from ${min} to ${MAX_MINOR}`),
    v.integer(`must be an integer number of minor units (fen) from ${min} to ${MAX_MINOR}`),
    v.minValue(min, `must be an integer number of minor units (fen) from ${min} to ${MAX_MINOR}`),
    v.maxValue(MAX_MINOR, `must be an integer number of minor units (fen) from ${min} to ${MAX_MINOR}`),
  );

/** A bounded free text; `null` clears it where the field allows. */
export const text = (max: number) => v.pipe(v.string(`must be a string of at most ${max} characters`), v.maxLength(max, `must be a string of at most ${max} characters`));

/** An integer query parameter (query values arrive as strings). */
export const intParam = (min: number, max: number) =>
  v.pipe(
    v.string(`must be an integer from ${min} to ${max}`),
    v.regex(/^-?\d{1,12}$/, `must be an integer from ${min} to ${max}`),
    v.transform(Number),
    v.minValue(min, `must be an integer from ${min} to ${max}`),
    v.maxValue(max, `must be an integer from ${min} to ${max}`),
  );

/** One of a list of words. */
export const oneOf = <const T extends readonly [string, ...string[]]>(values: T) => v.picklist(values, `must be one of ${values.join(', ')}`);
