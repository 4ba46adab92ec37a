/**
 * Score histogram (sink): normal / anomalous / unlabelled scores binned on shared edges, linear or evenly spaced
 * in log(score) — the score-distribution plot of the lecture. Input: Scores {scores: float[N], labels: int8[N]}.
 * No outputs and no tensors: the preview is computed in run() and kept with the (empty) output object, so a
 * cached result still shows it.
 */
import { defineKernel } from '../core/kernel-types';
import type { NodePreview, Preview } from '../core/preview';
import { scoreHistogram } from '../core/score-stats';
import { histogramNode } from './definition';

type Histogram = Extract<Preview, { kind: 'histogram' }>;

/**
 * Histogram with `bins` bins spanning the finite scores; with `log`, edges are geometric (equal steps in
 * log score; all scores must be > 0). Non-finite scores are left out.
 */
export function binScores(scores: ArrayLike<number>, labels: ArrayLike<number>, title: string, bins: number, log: boolean): Histogram {
  if (!log) return scoreHistogram(scores, labels, title, bins);
  const logs = Array.from(scores, (s) => (s > 0 ? Math.log(s) : NaN));
  const h = scoreHistogram(logs, labels, title, bins);
  return { ...h, edges: h.edges.map(Math.exp) };
}

/** Median and range of a non-empty list (median = mean of the middle two for even counts). */
function summary(values: number[]): { median: number; min: number; max: number } {
  const sorted = Float64Array.from(values).sort();
  const mid = (sorted.length - 1) / 2;
  return { median: (sorted[Math.floor(mid)]! + sorted[Math.ceil(mid)]!) / 2, min: sorted[0]!, max: sorted[sorted.length - 1]! };
}

/** Previews kept with the empty output object of each run (the engine passes that same object to preview()). */
const previews = new WeakMap<object, NodePreview>();

export const histogramKernel = defineKernel(histogramNode, {
  async run({ scores }, params, ctx) {
    const values = scores.scores;
    const nonFinite = values.filter((s) => !Number.isFinite(s)).length;
    if (nonFinite > 0) ctx.warn(`${nonFinite} scores are NaN or infinite and are left out of the histogram.`);
    let log = params.logScale;
    if (log) {
      const nonPositive = values.filter((s) => Number.isFinite(s) && s <= 0).length;
      if (nonPositive > 0) {
        ctx.warn(`Log scale needs scores > 0, but ${nonPositive} are ≤ 0: showing a linear histogram instead.`);
        log = false;
      }
    }
    const title = `${scores.scorer}${log ? ' (log scale)' : ''}`;
    const lines: string[] = [];
    for (const [label, name] of [
      [0, 'normal'],
      [1, 'anomalous'],
      [-1, 'unlabelled'],
    ] as const) {
      const own: number[] = [];
      values.forEach((s, i) => {
        const l = scores.labels[i] === 0 || scores.labels[i] === 1 ? scores.labels[i] : -1;
        if (l === label && Number.isFinite(s)) own.push(s);
      });
      if (own.length === 0) continue;
      const { median, min, max } = summary(own);
      lines.push(`${own.length} ${name}: median ${median.toPrecision(4)}, range ${min.toPrecision(4)} – ${max.toPrecision(4)}`);
    }
    const outputs = {};
    previews.set(outputs, [binScores(values, scores.labels, title, params.bins, log), { kind: 'text', lines }]);
    return outputs;
  },
  preview(outputs) {
    return previews.get(outputs) ?? [];
  },
});
