/**
 * Threshold: a decision rule score ≥ t ⇒ anomalous, with t the p-th percentile of the normal-labelled scores
 * (numpy linear interpolation), the Youden index argmax TPR − FPR (Youden 1950), the F1-maximising score, or a
 * fixed value; then the confusion matrix and rates at t over the labelled images, and AUROC/AP (= sklearn, via
 * rocAnalysis) when both classes are present. Input: Scores {scores: float[N], labels: int8[N]}; no tensors.
 */
import { KizukiError } from '../core/errors';
import { defineKernel, type MetricsValue, type ScoresValue } from '../core/kernel-types';
import { rawScoresPreview } from '../core/preview';
import { bestThreshold, confusion, percentile, rates, rocAnalysis } from '../core/score-stats';
import { thresholdNode } from './definition';

// Defined in core (the editor's threshold explorer uses them too); re-exported for this node's tests.
export { bestThreshold, confusion, rates };

type Decision = NonNullable<MetricsValue['threshold']>;

/** The scores each decision was made from, for the linked evaluation view (the preview sees only outputs). */
const inputScores = new WeakMap<MetricsValue, ScoresValue>();

export const thresholdKernel = defineKernel(thresholdNode, {
  async run({ scores }, params, ctx) {
    const { labels } = scores;
    let nNormal = 0;
    let nAnomalous = 0;
    for (const l of labels) {
      if (l === 0) nNormal++;
      else if (l === 1) nAnomalous++;
    }
    const unlabelled = labels.length - nNormal - nAnomalous;
    if (nNormal + nAnomalous === 0) throw new KizukiError('UNLABELLED', { nodeId: ctx.nodeId, count: unlabelled });
    const bad = scores.scores.filter((s) => !Number.isFinite(s)).length;
    if (bad > 0) throw new KizukiError('NON_FINITE_SCORES', { nodeId: ctx.nodeId, count: bad });
    const bothClasses = nNormal > 0 && nAnomalous > 0;
    const method = params.method;
    if ((method === 'youden' || method === 'best-f1') && !bothClasses) {
      throw new KizukiError('SINGLE_CLASS', {
        nodeId: ctx.nodeId,
        cls: nNormal === 0 ? 'anomalous' : 'normal',
        hint: `Method ${method} needs normal and anomalous labels; with normal labels only, use method percentile-normal.`,
      });
    }
    if (method === 'percentile-normal' && nNormal === 0) {
      throw new KizukiError('SINGLE_CLASS', {
        nodeId: ctx.nodeId,
        cls: 'anomalous',
        hint: 'Method percentile-normal needs normal-labelled scores; connect scores that include normal images, or use method fixed.',
      });
    }

    let t: number;
    if (method === 'fixed') t = params.value;
    else if (method === 'percentile-normal') t = percentile(scores.scores.filter((_, i) => labels[i] === 0), params.percentile);
    else if (method === 'youden') t = bestThreshold(scores.scores, labels, (tp, fp) => tp / nAnomalous - fp / nNormal);
    else t = bestThreshold(scores.scores, labels, (tp, fp) => (2 * tp) / (tp + fp + nAnomalous));

    const counts = confusion(scores.scores, labels, t);
    const threshold: Decision = { method, value: t, ...counts, ...rates(counts) };
    if (unlabelled > 0) {
      const flagged = scores.scores.filter((s, i) => labels[i] !== 0 && labels[i] !== 1 && s >= t).length;
      ctx.warn(`${unlabelled} unlabelled images are not in the confusion matrix (${flagged} of them are above the threshold).`);
    }
    let roc = { fpr: [] as number[], tpr: [] as number[], thresholds: [] as number[] };
    let auroc = NaN;
    let ap = NaN;
    if (bothClasses) {
      const r = rocAnalysis(scores.scores, labels);
      roc = { fpr: r.fpr, tpr: r.tpr, thresholds: r.thresholds };
      auroc = r.auroc;
      ap = r.ap;
      if (auroc < 0.5) ctx.warn(`AUROC ${auroc.toFixed(3)} is below 0.5: this score ranks normal images as more anomalous.`);
      if (method === 'youden' || method === 'best-f1') {
        ctx.warn(`The ${method} threshold was chosen with these labels, so its rates are optimistic for these images; reuse it on new images to measure them fairly.`);
      }
    } else {
      ctx.warn('Only normal images are labelled: AUROC and AP need both classes; specificity (1 − false-alarm rate) is still measured.');
    }
    const metrics: MetricsValue = { kind: 'Metrics', scorer: scores.scorer, auroc, ap, nNormal, nAnomalous, roc, threshold };
    inputScores.set(metrics, scores);
    return { metrics };
  },
  preview({ metrics }) {
    const d = metrics.threshold!;
    const raw = inputScores.get(metrics);
    const pct = (x: number) => (Number.isNaN(x) ? '—' : `${(100 * x).toFixed(1)} %`);
    return [
      // First, so the node's "Explore threshold…" button sits at the top of its previews.
      ...(raw ? [rawScoresPreview(raw, { value: d.value, method: d.method })] : []),
      { kind: 'confusion', scorer: metrics.scorer, ...d },
      {
        kind: 'text',
        lines: [
          `threshold ${d.value.toPrecision(4)} (${d.method}): score ≥ threshold ⇒ anomalous`,
          `TP ${d.tp}  FN ${d.fn}  |  FP ${d.fp}  TN ${d.tn}`,
          `sensitivity ${pct(d.sensitivity)}, specificity ${pct(d.specificity)}, precision ${pct(d.precision)}, F1 ${Number.isNaN(d.f1) ? '—' : d.f1.toFixed(3)}`,
          Number.isNaN(metrics.auroc) ? 'AUROC — (one class labelled)' : `AUROC ${metrics.auroc.toFixed(3)}, AP ${metrics.ap.toFixed(3)}`,
        ],
      },
    ];
  },
});
