/**
 * The confusion matrix, laid out the same way wherever it appears (the Threshold node's preview, the threshold
 * explorer): rows are what the images are (normal, anomalous), columns what the threshold says (not flagged,
 * flagged); the diagonal is right (green), the rest wrong (red).
 */
'use client';
import { useT } from '../_i18n/translate';

export type ConfusionCounts = { tp: number; fp: number; tn: number; fn: number };

export function ConfusionTable({ counts, className, testIdPrefix }: { counts: ConfusionCounts; className: string; testIdPrefix?: string }) {
  const t = useT();
  const cell = (key: keyof ConfusionCounts, ok: boolean) => (
    <td className={ok ? 'ok' : 'bad'} data-testid={testIdPrefix ? `${testIdPrefix}-${key}` : undefined}>
      {counts[key]}
    </td>
  );
  return (
    <table className={className} aria-label={t('eval.confusionMatrix')}>
      <thead>
        <tr>
          <td />
          <th scope="col">{t('eval.notFlagged')}</th>
          <th scope="col">{t('eval.flagged')}</th>
        </tr>
      </thead>
      <tbody>
        <tr>
          <th scope="row">{t('label.normal')}</th>
          {cell('tn', true)}
          {cell('fp', false)}
        </tr>
        <tr>
          <th scope="row">{t('label.anomalous')}</th>
          {cell('fn', false)}
          {cell('tp', true)}
        </tr>
      </tbody>
    </table>
  );
}
