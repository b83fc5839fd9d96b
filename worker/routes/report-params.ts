// Query parameters of the report routes beyond the date range: the site or
// group of sites, enumerations, and the output format. Each bad value is a 400.
import type { Context } from 'hono';
import { assertSite, type Principal } from '../auth/tokens';
import { badRequest } from '../errors';
import { requiredParam } from './params';

const MAX_SITES = 20;

/** `site=a` or a group `site=a,b`: every site must be visible to the token. */
export function siteGroup(c: Context, p: Principal): string[] {
  const sites = [...new Set(requiredParam(c, 'site').split(',').map((s) => s.trim()).filter(Boolean))];
  if (sites.length === 0) throw badRequest('missing_parameter', 'query parameter "site" is required');
  if (sites.length > MAX_SITES) throw badRequest('invalid_parameter', `"site" names at most ${MAX_SITES} sites`);
  for (const s of sites) assertSite(p, s);
  return sites;
}

export function oneOf<T extends string>(c: Context, name: string, allowed: readonly T[], fallback: T): T {
  const v = c.req.query(name);
  if (v === undefined || v === '') return fallback;
  if (!(allowed as readonly string[]).includes(v)) throw badRequest('invalid_parameter', `"${name}" must be one of ${allowed.join(', ')}`);
  return v as T;
}

export function positiveInt(c: Context, name: string, max: number): number | null {
  const v = c.req.query(name);
  if (v === undefined || v === '') return null;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > max) throw badRequest('invalid_parameter', `"${name}" must be an integer from 1 to ${max}`);
  return n;
}

export const format = (c: Context) => oneOf(c, 'format', ['json', 'csv'] as const, 'json');
