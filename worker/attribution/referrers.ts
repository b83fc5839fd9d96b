// Referrer URL → source / medium. The China table first (china.ts), then the
// maintained Ghost referrer dataset (@tryghost/referrer-parser, ~2,400 hosts)
// for the long tail; an unknown host is a plain referral named by its host.
import { ReferrerParser } from '@tryghost/referrer-parser';
import { ANDROID_APPS, CHINA_REFERRERS, type SourceMedium } from './china';

const dataset = new ReferrerParser();

// The dataset's media, in GA's vocabulary.
const MEDIUM: Record<string, string> = { search: 'organic', social: 'social', paid: 'cpc', email: 'email' };

// Longest key first, so a path-prefixed entry beats its host.
const CHINA_KEYS = Object.keys(CHINA_REFERRERS).sort((a, b) => b.length - a.length);

/** A referrer as a URL, or null when it is empty or not one. */
export function referrerUrl(r: string | undefined): URL | null {
  if (!r) return null;
  try {
    const u = new URL(r);
    return u.protocol === 'http:' || u.protocol === 'https:' || u.protocol === 'android-app:' ? u : null;
  } catch {
    return null;
  }
}

/** Whether `host` is `domain` or a subdomain of it. */
export function hostMatches(host: string, domain: string): boolean {
  return host === domain || host.endsWith(`.${domain}`);
}

function china(u: URL): SourceMedium | null {
  const host = u.hostname;
  for (const key of CHINA_KEYS) {
    const slash = key.indexOf('/');
    if (slash < 0 ? hostMatches(host, key) : host === key.slice(0, slash) && u.pathname.startsWith(key.slice(slash))) {
      return CHINA_REFERRERS[key];
    }
  }
  return null;
}

// The dataset's lookup sorts its keys on every call (~0.5 ms); landings repeat
// the same few hosts, so answers are memoised, boundedly.
const memo = new Map<string, SourceMedium | null>();
const MEMO_MAX = 2000;

function fromDataset(u: URL): SourceMedium | null {
  const key = u.hostname + u.pathname.slice(0, 64);
  const hit = memo.get(key);
  if (hit !== undefined) return hit;
  const d = dataset.getDataFromUrl(u);
  const out = d ? { source: slug(d.source), medium: MEDIUM[d.medium] ?? 'referral' } : null;
  if (memo.size >= MEMO_MAX) memo.clear();
  memo.set(key, out);
  return out;
}

/** Source / medium of an external referrer; `named` is false for an unknown host (a plain referral). */
export function referrerSource(u: URL): SourceMedium & { named: boolean } {
  if (u.protocol === 'android-app:') {
    const pkg = u.hostname.toLowerCase();
    const app = ANDROID_APPS[pkg];
    return app ? { ...app, named: true } : { source: pkg.slice(0, 100), medium: 'referral', named: false };
  }
  const known = china(u) ?? fromDataset(u);
  if (known) return { ...known, named: true };
  return { source: u.hostname.replace(/^www\./, ''), medium: 'referral', named: false };
}

/** Lowercase, spaces to dashes, nothing but letters, digits and . _ - ; at most 64 characters. */
export function slug(s: string): string {
  return s
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}._-]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64);
}
