/** Write limiter and secret ids: burst then refill per client; ids and tokens are long, random and hashed. */
import { describe, expect, it } from 'vitest';
import { hashToken, newId, newToken } from './keys';
import { createRateLimiter, rateLimiterFromEnv } from './rate-limit';

describe('rate limiter', () => {
  it('allows a burst, refuses the next write, and refills with time', () => {
    const rl = createRateLimiter({ perMinute: 60, burst: 3 });
    const t0 = 1_000_000;
    expect([rl.take('a', t0), rl.take('a', t0), rl.take('a', t0), rl.take('a', t0)]).toEqual([true, true, true, false]);
    expect(rl.take('b', t0)).toBe(true); // per client
    expect(rl.take('a', t0 + 500)).toBe(false); // half a token back
    expect(rl.take('a', t0 + 1000)).toBe(true); // one per second at 60/min
    expect(rl.take('a', t0 + 1000)).toBe(false);
  });

  it('reads its rate from KIZUKI_WRITES_PER_MINUTE, ignoring nonsense', () => {
    const two = rateLimiterFromEnv({ KIZUKI_WRITES_PER_MINUTE: '2' });
    expect([two.take('x', 0), two.take('x', 0), two.take('x', 0)]).toEqual([true, true, false]);
    const fallback = rateLimiterFromEnv({ KIZUKI_WRITES_PER_MINUTE: 'lots' });
    for (let i = 0; i < 240; i++) expect(fallback.take('y', 0)).toBe(true);
    expect(fallback.take('y', 0)).toBe(false);
  });
});

describe('keys', () => {
  it('ids carry 128 bits and tokens 256, URL-safe and distinct; tokens are stored as SHA-256', () => {
    const ids = new Set(Array.from({ length: 1000 }, newId));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const token = newToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(hashToken(token)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashToken(token)).not.toBe(hashToken(newToken()));
  });
});
