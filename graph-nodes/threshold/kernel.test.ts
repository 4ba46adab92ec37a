import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { KizukiError } from '../core/errors';
import type { ScoresValue } from '../core/kernel-types';
import { createRng } from '../core/random';
import { rocAnalysis } from '../core/score-stats';
import { disposeOutputs } from '../../workers/engine/values';
import { testContext } from '../../tests/unit/helpers/context';
import { thresholdNode } from './definition';
import { percentile } from '../core/score-stats';
import { bestThreshold, thresholdKernel } from './kernel';

const scoresValue = (scores: number[], labels: number[]): ScoresValue => ({
  kind: 'Scores',
  scorer: 'test',
  scores: Float32Array.from(scores),
  labels: Int8Array.from(labels),
  names: scores.map((_, i) => `img${i}`),
});

const params = (p: Record<string, unknown> = {}) => thresholdNode.params.parse(p);

/*
 * Hand-worked example: 3 anomalous (A), 10 normal (N), scores in descending order
 *   0.9 A, 0.8 A, 0.7 N, 0.65 N, 0.6 N, 0.5 A, 0.4 N, 0.35 N, 0.3 N, 0.25 N, 0.2 N, 0.15 N, 0.1 N
 * Rules score ≥ t:  t = 0.8 → TP 2 FP 0: J = 2/3 − 0 = 0.667, F1 = 4/(4+0+1) = 0.8 (best F1)
 *                   t = 0.7 → TP 2 FP 1: J = 0.567, F1 = 0.667
 *                   t = 0.5 → TP 3 FP 3: J = 1 − 0.3 = 0.7 (best Youden), F1 = 6/9 = 0.667
 */
const example = scoresValue(
  [0.9, 0.8, 0.7, 0.65, 0.6, 0.5, 0.4, 0.35, 0.3, 0.25, 0.2, 0.15, 0.1],
  [1, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0],
);

async function decide(p: Record<string, unknown>, s = example) {
  const { ctx, warnings } = testContext();
  const { metrics } = await thresholdKernel.run({ scores: s }, params(p), ctx);
  return { metrics, d: metrics.threshold!, warnings };
}

describe('threshold: hand-computed decisions', () => {
  it('Youden picks 0.5: TP 3, FP 3, TN 7, FN 0', async () => {
    const { d, metrics, warnings } = await decide({ method: 'youden' });
    expect(d.value).toBeCloseTo(0.5, 6);
    expect(d).toMatchObject({ method: 'youden', tp: 3, fp: 3, tn: 7, fn: 0, sensitivity: 1, precision: 0.5 });
    expect(d.specificity).toBeCloseTo(0.7, 12);
    expect(d.f1).toBeCloseTo(2 / 3, 12);
    // AUROC/AP exactly as the roc node computes them.
    const r = rocAnalysis(example.scores, example.labels);
    expect(metrics).toMatchObject({ auroc: r.auroc, ap: r.ap, nNormal: 10, nAnomalous: 3, roc: { fpr: r.fpr, tpr: r.tpr } });
    expect(r.auroc).toBeCloseTo(27 / 30, 12); // anomalous 0.9 and 0.8 beat all 10 normals, 0.5 beats 7
    expect(warnings.join()).toMatch(/chosen with these labels/);
  });

  it('best F1 picks 0.8: TP 2, FP 0, TN 10, FN 1', async () => {
    const { d } = await decide({ method: 'best-f1' });
    expect(d.value).toBeCloseTo(0.8, 6);
    expect(d).toMatchObject({ tp: 2, fp: 0, tn: 10, fn: 1, specificity: 1, precision: 1 });
    expect(d.sensitivity).toBeCloseTo(2 / 3, 12);
    expect(d.f1).toBeCloseTo(0.8, 12);
  });

  it('percentile-normal: the 50th and 90th percentiles of the 10 normal scores', async () => {
    // Normal scores sorted: 0.1 0.15 0.2 0.25 0.3 0.35 0.4 0.6 0.65 0.7.
    const p50 = await decide({ method: 'percentile-normal', percentile: 50 });
    expect(p50.d.value).toBeCloseTo(0.325, 6); // pos 4.5
    expect(p50.d).toMatchObject({ tp: 3, fp: 5, tn: 5, fn: 0 });
    const p90 = await decide({ method: 'percentile-normal', percentile: 90 });
    expect(p90.d.value).toBeCloseTo(0.655, 6); // pos 8.1: 0.65 + 0.1·0.05
    expect(p90.d).toMatchObject({ tp: 2, fp: 1, tn: 9, fn: 1 });
    expect(p90.d.specificity).toBeCloseTo(0.9, 12);
    expect(percentile([3, 1, 2], 95)).toBeCloseTo(2.9, 12);
  });

  it('fixed threshold, and scores equal to the threshold count as anomalous', async () => {
    const { d } = await decide({ method: 'fixed', value: 0.62 });
    expect(d).toMatchObject({ value: 0.62, tp: 2, fp: 2, tn: 8, fn: 1 });
    const tie = await decide({ method: 'fixed', value: 2 }, scoresValue([1, 2, 3], [0, 0, 1]));
    expect(tie.d).toMatchObject({ tp: 1, fp: 1, tn: 1, fn: 0 });
  });

  it('Youden equals max(TPR − FPR) over the ROC curve on random data', () => {
    const rng = createRng(4);
    for (let trial = 0; trial < 10; trial++) {
      const labels = Array.from({ length: 40 }, (_, i) => (i < 2 ? i : rng.next() < 0.3 ? 1 : 0));
      const scores = labels.map((l) => Math.round((rng.normal() + l) * 4) / 4);
      const r = rocAnalysis(scores, labels);
      const j = r.tpr.map((t, k) => t - r.fpr[k]!);
      const kBest = j.indexOf(Math.max(...j));
      const nPos = labels.filter((l) => l === 1).length;
      const t = bestThreshold(scores, labels, (tp, fp) => tp / nPos - fp / (labels.length - nPos));
      expect(t).toBe(r.thresholds[kBest]);
    }
  });
});

describe('threshold: one class, unlabelled and bad input', () => {
  it('percentile-normal works with normal labels only: specificity measured, AUROC NaN, unlabelled counted', async () => {
    const s = scoresValue([1, 2, 3, 4, 5, 10, 0.5], [0, 0, 0, 0, 0, -1, -1]);
    const { d, metrics, warnings } = await decide({ method: 'percentile-normal', percentile: 75 }, s);
    expect(d.value).toBeCloseTo(4, 12);
    expect(d).toMatchObject({ tp: 0, fp: 2, tn: 3, fn: 0, specificity: 0.6 });
    expect(d.sensitivity).toBeNaN();
    expect(metrics.auroc).toBeNaN();
    expect(metrics.nAnomalous).toBe(0);
    expect(warnings.join('\n')).toMatch(/2 unlabelled images.*\(1 of them are above the threshold\)[\s\S]*Only normal images are labelled/);
    const preview = await thresholdKernel.preview!({ metrics }, params());
    expect(preview[0]).toMatchObject({ kind: 'scores', total: 7, threshold: { value: metrics.threshold!.value, method: 'percentile-normal' } });
    expect(preview[1]).toMatchObject({ kind: 'confusion', tp: 0, fp: 2, tn: 3, fn: 0, method: 'percentile-normal' });
    expect((preview[2] as { lines: string[] }).lines.at(-1)).toBe('AUROC — (one class labelled)');
  });

  it('Youden / best-F1 on one class → SINGLE_CLASS with a hint; no labels → UNLABELLED; NaN → NON_FINITE_SCORES', async () => {
    const code = async (p: Record<string, unknown>, s: ScoresValue) => {
      const err = await thresholdKernel.run({ scores: s }, params(p), testContext({ nodeId: 'th' }).ctx).catch((e) => e);
      expect(err).toBeInstanceOf(KizukiError);
      return err.info;
    };
    const normalsOnly = scoresValue([1, 2, 3], [0, 0, 0]);
    expect(await code({ method: 'youden' }, normalsOnly)).toMatchObject({ code: 'SINGLE_CLASS', nodeId: 'th', hint: expect.stringMatching(/percentile-normal/) });
    expect(await code({ method: 'best-f1' }, normalsOnly)).toMatchObject({ code: 'SINGLE_CLASS' });
    expect(await code({ method: 'percentile-normal' }, scoresValue([1, 2], [1, 1]))).toMatchObject({ code: 'SINGLE_CLASS', hint: expect.stringMatching(/fixed/) });
    expect(await code({}, scoresValue([1, 2], [-1, -1]))).toMatchObject({ code: 'UNLABELLED' });
    expect(await code({}, scoresValue([1, NaN], [0, 1]))).toMatchObject({ code: 'NON_FINITE_SCORES' });
  });

  it('creates no tensors', async () => {
    const before = tf.memory().numTensors;
    const { ctx } = testContext();
    const out = await thresholdKernel.run({ scores: example }, params(), ctx);
    disposeOutputs(out);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('has documented defaults', () => {
    expect(thresholdNode.params.parse({})).toEqual({ method: 'percentile-normal', percentile: 95, value: 0.5 });
  });
});
