// The admin API's contract: sites, stores, tokens, the CRM webhook and the
// service desk's settings. Types here are what the worker checks and answers.

/** Who a token is: the admin (one secret in the worker's env), a report reader or store staff. */
export type TokenKind = 'admin' | 'report' | 'store';

/** One store a token may act for or read: a store id means nothing without its site. */
export interface StorePair {
  site: string;
  store: string;
}
