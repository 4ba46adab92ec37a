import { describe, expect, it } from 'vitest';
import { etaText, remainingSeconds } from '../../app/_editor/eta';
import { translate } from '../../app/_i18n/translate';

describe('time-left estimate', () => {
  it('extrapolates the pace so far: a quarter done in 10 s leaves 30 s', () => {
    expect(remainingSeconds(10_000, 0.25)).toBeCloseTo(30, 10);
    expect(remainingSeconds(60_000, 0.5)).toBeCloseTo(60, 10);
  });

  it('says nothing while the estimate would be noise, or when done', () => {
    expect(remainingSeconds(1000, 0.5)).toBeNull(); // under 1.5 s
    expect(remainingSeconds(10_000, 0.0005)).toBeNull(); // under 0.1 %
    expect(remainingSeconds(15_000, 1 / 200)).toBeCloseTo(2985, 6); // one epoch of 200 is enough
    expect(remainingSeconds(10_000, 1)).toBeNull();
    expect(remainingSeconds(10_000, Number.NaN)).toBeNull();
  });

  it('is worded in both languages, seconds under a minute, minutes and padded seconds above', () => {
    const en = (k: Parameters<typeof translate>[1], v?: Record<string, string | number>) => translate('en', k, v);
    const ja = (k: Parameters<typeof translate>[1], v?: Record<string, string | number>) => translate('ja', k, v);
    expect(etaText(42.4, en)).toBe('≈ 42 s left');
    expect(etaText(65, en)).toBe('≈ 1 min 05 s left');
    expect(etaText(0.2, en)).toBe('≈ 1 s left');
    expect(etaText(3725, ja)).toBe('残り約 62 分 05 秒');
  });
});
