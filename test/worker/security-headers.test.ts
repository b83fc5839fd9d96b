// The worker's security headers (worker/security-headers.ts): a strict CSP,
// Referrer-Policy and nosniff on every HTML answer it renders (the check-in
// page, its poster, its error page) and on the QR's SVG; nosniff on the rest;
// and pages that need nothing the CSP refuses (no inline script, style or
// handler). In workerd against real D1; the dashboard's headers come from the
// static assets' _headers and are checked in the browser (test/e2e/hostile.test.mjs).
import { beforeAll, describe, expect, it } from 'vitest';
import { PAGE_CSP } from '../../worker/security-headers';
import { ADMIN, BASE, call } from './helpers';
import { offlineSite, type OfflineSite } from './leads-fixtures';

const HOSTILE = '<img src=x onerror="window.__xss=1">"><svg onload="window.__xss=1">';

let s: OfflineSite;
let link: { url: string; poster: string };
beforeAll(async () => {
  s = await offlineSite();
  // A store whose name an admin filled with markup: the pages must show it as text.
  const res = await call(`/api/v1/admin/sites/${s.site}/stores/sh-1`, { method: 'PUT', token: ADMIN, json: { name: HOSTILE, region: 'Shanghai', city: 'Shanghai' } });
  expect(res.ok).toBe(true);
  link = (await (await call('/api/v1/stores/sh-1/checkin', { token: s.sh })).json()) as typeof link;
});

/** Directives of a CSP header as a map: name → source list. */
function directives(csp: string | null): Map<string, string> {
  return new Map((csp ?? '').split(';').map((d) => d.trim()).filter(Boolean).map((d) => {
    const [name, ...sources] = d.split(/\s+/);
    return [name.toLowerCase(), sources.join(' ')];
  }));
}

function expectStrictHeaders(res: Response) {
  const csp = directives(res.headers.get('content-security-policy'));
  expect(csp.get('script-src')).toBe("'self'");
  expect(csp.get('default-src')).toBe("'self'");
  expect(csp.get('object-src')).toBe("'none'");
  expect(csp.get('base-uri')).toBe("'none'");
  expect(csp.get('frame-ancestors')).toBe("'none'");
  for (const sources of csp.values()) expect(sources).not.toMatch(/unsafe-inline|unsafe-eval|unsafe-hashes|\*|data:/);
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
}

/** What in an HTML page the strict CSP would refuse: inline scripts, inline handlers, style attributes and elements. */
function inlineParts(html: string): string[] {
  const found: string[] = [];
  for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) if (!/\bsrc=/.test(m[1]) || m[2].trim()) found.push(m[0].slice(0, 80));
  for (const m of html.matchAll(/<[^>]+\s(on[a-z]+|style)\s*=/gi)) found.push(m[0].slice(0, 80));
  for (const m of html.matchAll(/<style\b/gi)) found.push(m[0]);
  for (const m of html.matchAll(/javascript:/gi)) found.push(m[0]);
  return found;
}

const pages = () => ({
  'check-in page': link.url.slice(BASE.length),
  poster: link.poster.slice(BASE.length),
  'error page (wrong key)': link.url.slice(BASE.length).replace(/k=[^&]+/, 'k=wrong-key-0000000'),
});

describe('every HTML answer the worker renders', () => {
  it('carries the strict CSP, Referrer-Policy and nosniff', async () => {
    for (const [what, path] of Object.entries(pages())) {
      const res = await call(path);
      expect(res.headers.get('content-type'), what).toMatch(/^text\/html/);
      expect([200, 403], what).toContain(res.status);
      expectStrictHeaders(res);
      expect(res.headers.get('content-security-policy')).toBe(PAGE_CSP);
      await res.arrayBuffer();
    }
  });

  it('has nothing inline for the CSP to refuse, and shows an admin’s markup as text', async () => {
    for (const [what, path] of Object.entries(pages())) {
      const html = await (await call(path)).text();
      expect(inlineParts(html), what).toEqual([]);
      expect(html, what).not.toContain('<img');
      expect(html, what).not.toMatch(/<svg onload/i);
    }
    const page = await (await call(pages()['check-in page'])).text();
    expect(page).toContain('&#60;img src=x onerror=&#34;window.__xss=1&#34;&#62;');
  });

  it('serves the pages’ script and stylesheet as files of the worker’s origin, never sniffed', async () => {
    const page = await (await call(pages()['check-in page'])).text();
    const poster = await (await call(pages().poster)).text();
    for (const html of [page, poster]) {
      expect(html).toContain('<link rel="stylesheet" href="/checkin/checkin.css">');
      expect(html).toContain('<script src="/checkin/checkin.js"');
    }
    expect(page).toContain('<script defer src="/o2o.js"');
    const js = await call('/checkin/checkin.js');
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(js.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await js.text()).toContain("addEventListener('click'");
    const css = await call('/checkin/checkin.css');
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toMatch(/^text\/css/);
    expect(await css.text()).toContain('.qr svg');
  });
});

describe('the worker’s other answers', () => {
  it('puts the same CSP on the QR’s SVG (a document if opened on its own)', async () => {
    const res = await call('/api/v1/stores/sh-1/qr.svg', { token: s.sh });
    expect(res.status).toBe(200);
    expectStrictHeaders(res);
    await res.arrayBuffer();
  });

  it('says nosniff on JSON, errors included, and on the script tag', async () => {
    for (const [path, status] of [['/api/v1/session', 401], ['/no/such/path', 404], [`/api/v1/session`, 200]] as const) {
      const res = await call(path, status === 200 ? { token: s.report } : {});
      expect(res.status, path).toBe(status);
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(res.headers.get('content-security-policy'), `${path}: JSON needs no page policy`).toBeNull();
      await res.arrayBuffer();
    }
  });
});
