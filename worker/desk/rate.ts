// A token bucket: `burst` frames at once, refilled at `perSecond`. Pure, so a
// socket's bucket can ride in its hibernation attachment and a test can pin it.

export interface Bucket {
  tokens: number;
  at: number; // ms of the last refill
}

export const fullBucket = (burst: number, now: number): Bucket => ({ tokens: burst, at: now });

/** Takes one token if there is one: the bucket after, and whether the frame may pass. */
export function take(b: Bucket, perSecond: number, burst: number, now: number): { bucket: Bucket; ok: boolean } {
  const tokens = Math.min(burst, b.tokens + (Math.max(0, now - b.at) / 1000) * perSecond);
  if (tokens < 1) return { bucket: { tokens, at: now }, ok: false };
  return { bucket: { tokens: tokens - 1, at: now }, ok: true };
}
