// Security headers on the worker's own answers. Every answer: nosniff (a JSON
// body or the script tag is never read as anything else). The pages the worker
// renders (the self check-in page, its poster and error page; an SVG it serves):
// a strict Content-Security-Policy and a Referrer-Policy. The dashboard is a
// static asset: its headers are in worker/dashboard/_headers.
import type { MiddlewareHandler } from 'hono';

/**
 * The check-in pages' policy. Scripts and styles only from files of this origin
 * (/o2o.js, /checkin/checkin.js, /checkin/checkin.css): nothing inline, so an
 * injected tag or handler cannot run. The QR is inline SVG markup, not a fetch.
 * form-action 'none': the pages have no form.
 */
export const PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export interface SecurityHeadersOptions {
  /** The CSP for HTML and SVG answers. */
  csp?: string;
  /**
   * strict-origin-when-cross-origin (browsers' default), not no-referrer: the
   * check-in page runs the script tag, which is built and tested on storefront
   * pages under the default policy, and by the Fetch spec a no-cors POST (a
   * text/plain sendBeacon) under no-referrer carries `Origin: null`, which
   * /collect refuses. (Chromium measured sending the origin anyway; other
   * engines need not.) Nothing is loaded from another origin (the CSP), so
   * nothing but this origin could ever leave.
   */
  referrerPolicy?: string;
}

const DOCUMENT = /^(text\/html|image\/svg\+xml)\b/i;

export function securityHeaders(options: SecurityHeadersOptions = {}): MiddlewareHandler {
  const { csp, referrerPolicy } = { csp: PAGE_CSP, referrerPolicy: 'strict-origin-when-cross-origin', ...options };
  return async function securityHeaders(c, next) {
    await next();
    // A response passed through from a fetch has immutable headers: copy it once.
    try {
      c.res.headers.set('x-content-type-options', 'nosniff');
    } catch {
      c.res = new Response(c.res.body, c.res);
      c.res.headers.set('x-content-type-options', 'nosniff');
    }
    if (DOCUMENT.test(c.res.headers.get('content-type') ?? '')) {
      c.res.headers.set('content-security-policy', csp);
      c.res.headers.set('referrer-policy', referrerPolicy);
    }
  };
}
