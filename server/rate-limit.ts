/**
 * Token-bucket limit on writes per client (IP address): `burst` writes at once, refilled at `perMinute`.
 * In memory, per server process; enough to stop a runaway script, not a determined attacker.
 */
export type RateLimiter = { take(client: string, now?: number): boolean };

export function createRateLimiter({ perMinute, burst }: { perMinute: number; burst: number }): RateLimiter {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const perMs = perMinute / 60_000;
  return {
    take(client, now = Date.now()) {
      const b = buckets.get(client) ?? { tokens: burst, at: now };
      b.tokens = Math.min(burst, b.tokens + (now - b.at) * perMs);
      b.at = now;
      buckets.set(client, b);
      // Forget idle clients so the map cannot grow without bound.
      if (buckets.size > 10_000) for (const [k, v] of buckets) if (v.tokens >= burst) buckets.delete(k);
      if (b.tokens < 1) return false;
      b.tokens -= 1;
      return true;
    },
  };
}

/** Limits from KIZUKI_WRITES_PER_MINUTE (default 240, burst the same). */
export function rateLimiterFromEnv(env: Record<string, string | undefined> = process.env): RateLimiter {
  const n = Number(env.KIZUKI_WRITES_PER_MINUTE ?? 240);
  const perMinute = Number.isFinite(n) && n > 0 ? n : 240;
  return createRateLimiter({ perMinute, burst: perMinute });
}
