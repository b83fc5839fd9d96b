// The site group of a report: `site=a,b` reads several sites as one report, so
// the reports resolve their sites here rather than through middleware/site.ts,
// which resolves one. The query's shape is checked first (protocol/reports.ts
// siteGroup); here, the token must be allowed every site of the group.
import { assertSite, type Principal } from '../auth/tokens';
import { badRequest } from '../errors';

export function siteGroup(p: Principal, sites: string[]): string[] {
  if (sites.length === 0) throw badRequest('missing_parameter', 'query parameter "site" is required');
  for (const s of sites) assertSite(p, s);
  return sites;
}
