/**
 * Time left for a running node, estimated from how far it got (the kernel's progress fraction) in the time it has
 * run so far, assuming the rest goes at the same pace. No estimate in the first 1.5 s or before any progress
 * (under 0.1 %); a long run (200 epochs) still gets one after its first epoch.
 */
import type { TFunction } from '../_i18n/translate';

export function remainingSeconds(elapsedMs: number, fraction: number): number | null {
  if (!(fraction >= 0.001) || fraction >= 1 || elapsedMs < 1500) return null;
  return ((elapsedMs / fraction) * (1 - fraction)) / 1000;
}

/** "≈ 1 min 05 s left" / "残り約 1 分 05 秒": whole seconds under a minute, minutes and seconds above. */
export function etaText(seconds: number, t: TFunction): string {
  const total = Math.max(1, Math.round(seconds));
  const m = Math.floor(total / 60);
  const s = total % 60;
  const time = m > 0 ? t('time.minSec', { m, s: String(s).padStart(2, '0') }) : t('time.sec', { s });
  return t('node.eta', { time });
}
