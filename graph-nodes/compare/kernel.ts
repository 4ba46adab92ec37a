/**
 * Compare scorers: the ROC curve, AUROC and AP (= sklearn roc_curve / roc_auc_score / average_precision_score,
 * via rocAnalysis) of each connected Scores input, for one overlaid plot. Inputs: up to four Scores over the
 * same images (same count and labels). A sink: no outputs and no tensors; the preview is computed in run() and
 * kept with the (empty) output object, so a cached result still shows it.
 */
import { KizukiError } from '../core/errors';
import { defineKernel, type ScoresValue } from '../core/kernel-types';
import type { NodePreview, Preview } from '../core/preview';
import { rocAnalysis } from '../core/score-stats';
import { compareNode } from './definition';

type Curve = Extract<Preview, { kind: 'roc-compare' }>['curves'][number];

/** Previews kept with the empty output object of each run (the engine passes that same object to preview()). */
const previews = new WeakMap<object, NodePreview>();

export const compareKernel = defineKernel(compareNode, {
  async run(inputs, _params, ctx) {
    const connected = (['a', 'b', 'c', 'd'] as const)
      .map((port) => ({ port, value: inputs[port] }))
      .filter((x): x is { port: 'a' | 'b' | 'c' | 'd'; value: ScoresValue } => x.value !== undefined);
    const ref = connected[0]!.value;
    for (const { port, value } of connected.slice(1)) {
      const sameLabels = value.labels.length === ref.labels.length && value.labels.every((l, i) => l === ref.labels[i]);
      if (!sameLabels) {
        throw new KizukiError('SHAPE_MISMATCH', {
          nodeId: ctx.nodeId,
          what: `scorer ${port} scored ${value.labels.length} images but scorer a scored ${ref.labels.length}${value.labels.length === ref.labels.length ? ' with different labels' : ''}`,
          hint: 'Connect scorers that all scored the same test images, so their ROC curves are comparable.',
        });
      }
      if (value.names.some((n, i) => n !== ref.names[i])) ctx.warn(`Scorer ${port} names its images differently from scorer a; check that they scored the same images.`);
    }
    const unlabelled = ref.labels.filter((l) => l !== 0 && l !== 1).length;
    if (unlabelled === ref.labels.length) throw new KizukiError('UNLABELLED', { nodeId: ctx.nodeId, count: unlabelled });
    if (unlabelled > 0) ctx.warn(`${unlabelled} unlabelled images left out of the ROC curves`);

    const names = connected.map(({ value }) => value.scorer);
    const curves: Curve[] = [];
    let nNormal = 0;
    let nAnomalous = 0;
    for (const [k, { port, value }] of connected.entries()) {
      const bad = value.scores.filter((s) => !Number.isFinite(s)).length;
      if (bad > 0) throw new KizukiError('NON_FINITE_SCORES', { nodeId: ctx.nodeId, count: `${bad} (scorer ${port})` });
      let r;
      try {
        r = rocAnalysis(value.scores, value.labels);
      } catch (err) {
        throw new KizukiError('SINGLE_CLASS', { nodeId: ctx.nodeId, cls: (err as Error).message });
      }
      nNormal = r.nNormal;
      nAnomalous = r.nAnomalous;
      // Two scorers of the same name (e.g. two residual nodes) are told apart by their port.
      const scorer = names.indexOf(value.scorer) !== k || names.lastIndexOf(value.scorer) !== k ? `${value.scorer} (${port})` : value.scorer;
      const flipped = r.auroc < 0.5;
      if (flipped) ctx.warn(`${scorer}: AUROC ${r.auroc.toFixed(3)} is below 0.5 — this score ranks normal images as more anomalous.`);
      curves.push({ scorer, fpr: r.fpr, tpr: r.tpr, auroc: r.auroc, ap: r.ap, flipped });
    }
    const outputs = {};
    previews.set(outputs, [
      { kind: 'roc-compare', curves, nNormal, nAnomalous },
      {
        kind: 'text',
        lines: curves.map((c) => `${c.scorer}: AUROC ${c.auroc.toFixed(3)}, AP ${c.ap.toFixed(3)}${c.flipped ? ' ⚠ below 0.5 (points the wrong way)' : ''}`),
      },
    ]);
    return outputs;
  },
  preview(outputs) {
    return previews.get(outputs) ?? [];
  },
});
