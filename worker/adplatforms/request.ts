// What every platform's request builder takes and gives: one conversion (a
// row of the outbox, its type resolved from the connector), the connector's
// credential and identifiers, and the HTTP request to send with the body as
// the admin may see it (credential masked). Each platform's file builds its
// documented shape and reads its documented answer.
import type { AdPlatform, AdStage } from '../../protocol/adplatforms';

export interface Conversion {
  id: string; // the outbox row's id: also the dedup id where the platform takes one
  stage: AdStage;
  type: number | string; // the platform's conversion type for the stage
  clickId: string;
  landingUrl: string;
  value: number | null; // minor units (fen), deals only
  reason: string | null; // unqualified only
  happenedAt: number; // ms
}

export interface ConnectorAccess {
  secret: string | null; // the Worker secret's value, read at send time
  settings: { accountId?: string; userActionSetId?: string; appKey?: string };
}

export interface PlatformRequest {
  url: string; // may hold the credential (Tencent): never logged or shown
  headers: Record<string, string>;
  body: string;
  shown: string; // the body with the credential masked, for the admin view
}

export interface Platform {
  id: AdPlatform;
  /** Which stage → type a new connector starts with: only what the platform's public docs name. */
  defaults: Partial<Record<AdStage, number | string>>;
  /** Whether `type` is one of this platform's conversion types as a value (Baidu: numbers; the others: words). */
  typeOk: (type: number | string) => boolean;
  needsSecret: boolean;
  /** Settings a connector must have before it can send (Tencent's ids, 360's App-Key). */
  requires: (keyof ConnectorAccess['settings'])[];
  build: (c: Conversion, k: ConnectorAccess, now: number) => Promise<PlatformRequest>;
  /** null when the platform took the conversion, else why not (from its answer, never the URL). */
  verdict: (httpStatus: number, text: string) => string | null;
}

export const MASK = '••••';
export const secondsOf = (ms: number) => Math.floor(ms / 1000);

/** The answer as JSON, or null. */
export function jsonOf(text: string): Record<string, unknown> | null {
  try {
    const j = JSON.parse(text) as unknown;
    return typeof j === 'object' && j !== null && !Array.isArray(j) ? (j as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/**
 * The verdict of a platform that answers HTTP 200 with JSON whose `codeKey` is
 * 0 on success (Ocean Engine, Tencent: code/message; 360: errno/error).
 */
export function zeroCode(codeKey: string, messageKey: string): Platform['verdict'] {
  return (status, text) => {
    if (status !== 200) return `HTTP ${status}`;
    const j = jsonOf(text);
    if (!j) return 'the answer is not JSON';
    return j[codeKey] === 0 ? null : refusal(j[codeKey], j[messageKey]);
  };
}

/** A platform's refusal as the admin reads it: its code and message, bounded. */
export function refusal(code: unknown, message: unknown): string {
  return `code ${String(code)}: ${String(message ?? '').slice(0, 200)}`;
}
