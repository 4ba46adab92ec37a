/**
 * ROC evaluator: ROC curve, AUROC (= sklearn roc_auc_score, ties ½) and AP (= sklearn average_precision_score)
 * of per-image scores against labels. Input: Scores {scores: float[N], labels: int8[N]}. Unlabelled images (-1)
 * are left out with a warning; a single class is an error (SINGLE_CLASS).
 */
import { KizukiError } from '../core/errors';
import { defineKernel, type MetricsValue, type ScoresValue } from '../core/kernel-types';
import { rawScoresPreview } from '../core/preview';
import { rocAnalysis } from '../core/score-stats';
import { rocNode } from './definition';

/** The (direction-applied) scores behind each ROC, for the linked evaluation view (the preview sees only outputs). */
const evaluated = new WeakMap<MetricsValue, ScoresValue>();

export const rocKernel = defineKernel(rocNode, {
  async run({ scores }, params, ctx) {
    let unlabelled = 0;
    let nNormal = 0;
    for (const l of scores.labels) {
      if (l !== 0 && l !== 1) unlabelled++;
      else if (l === 0) nNormal++;
    }
    if (unlabelled === scores.labels.length) throw new KizukiError('UNLABELLED', { nodeId: ctx.nodeId, count: unlabelled });
    if (unlabelled > 0) ctx.warn(`${unlabelled} unlabelled images left out of the ROC`);
    for (const s of scores.scores) {
      if (!Number.isFinite(s)) {
        const count = scores.scores.filter((x) => !Number.isFinite(x)).length;
        throw new KizukiError('NON_FINITE_SCORES', { nodeId: ctx.nodeId, count });
      }
    }
    const labelled = scores.labels.length - unlabelled;
    if (nNormal === 0 || nNormal === labelled) {
      throw new KizukiError('SINGLE_CLASS', { nodeId: ctx.nodeId, cls: nNormal === 0 ? 'anomalous' : 'normal' });
    }
    const flipped = params.direction === 'lower-is-anomalous';
    const used = flipped ? scores.scores.map((s) => -s) : scores.scores;
    const r = rocAnalysis(used, scores.labels);
    if (r.auroc < 0.5) {
      ctx.warn(
        `AUROC ${r.auroc.toFixed(3)} is below 0.5: this score ranks normal images as more anomalous. ` +
          `Setting direction = ${flipped ? 'higher' : 'lower'}-is-anomalous would give ${(1 - r.auroc).toFixed(3)} — but only trust that if the direction is chosen without the test labels.`,
      );
    }
    const metrics: MetricsValue = {
      kind: 'Metrics',
      scorer: flipped ? `${scores.scorer} (flipped: lower is anomalous)` : scores.scorer,
      auroc: r.auroc,
      ap: r.ap,
      nNormal: r.nNormal,
      nAnomalous: r.nAnomalous,
      roc: { fpr: r.fpr, tpr: r.tpr, thresholds: r.thresholds },
    };
    evaluated.set(metrics, { ...scores, scorer: metrics.scorer, scores: used });
    return { metrics };
  },
  preview({ metrics }) {
    const raw = evaluated.get(metrics);
    return [
      ...(raw ? [rawScoresPreview(raw)] : []),
      {
        kind: 'roc',
        curve: metrics.roc,
        auroc: metrics.auroc,
        ap: metrics.ap,
        nNormal: metrics.nNormal,
        nAnomalous: metrics.nAnomalous,
        flippedHint: metrics.auroc < 0.5,
      },
    ];
  },
});

