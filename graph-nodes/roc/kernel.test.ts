import { describe, expect, it } from 'vitest';
import { KizukiError } from '../core/errors';
import type { ScoresValue } from '../core/kernel-types';
import { createRng } from '../core/random';
import { rocAnalysis, scoreHistogram } from '../core/score-stats';
import { testContext } from '../../tests/unit/helpers/context';
import { rocNode } from './definition';
import { rocKernel } from './kernel';

const scoresValue = (scores: number[], labels: number[]): ScoresValue => ({
  kind: 'Scores',
  scorer: 'test',
  scores: Float32Array.from(scores),
  labels: Int8Array.from(labels),
  names: scores.map((_, i) => `img${i}`),
});

/** Mann–Whitney: P(score_anomalous > score_normal) + ½ P(tie), by brute force over all pairs. */
function pairwiseAuc(scores: number[], labels: number[]) {
  let wins = 0;
  let pairs = 0;
  for (let i = 0; i < scores.length; i++)
    for (let j = 0; j < scores.length; j++)
      if (labels[i] === 1 && labels[j] === 0) {
        pairs++;
        wins += scores[i]! > scores[j]! ? 1 : scores[i] === scores[j] ? 0.5 : 0;
      }
  return wins / pairs;
}

describe('rocAnalysis (= scikit-learn)', () => {
  it('matches sklearn on its documented example: roc_auc_score 0.75, average_precision_score 0.8333', () => {
    // sklearn docs: y=[0,0,1,1], scores=[0.1,0.4,0.35,0.8]
    const r = rocAnalysis([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]);
    expect(r.auroc).toBeCloseTo(0.75, 12);
    expect(r.ap).toBeCloseTo(0.8333333333, 9);
    // sklearn roc_curve (drop_intermediate=False): fpr [0,0,.5,.5,1], tpr [0,.5,.5,1,1]
    expect(r.fpr).toEqual([0, 0, 0.5, 0.5, 1]);
    expect(r.tpr).toEqual([0, 0.5, 0.5, 1, 1]);
    expect(r.thresholds[0]).toBe(Infinity);
  });

  it('counts ties as ½ (hand-computed: 3.5/4 = 0.875; all tied = 0.5)', () => {
    expect(rocAnalysis([0.1, 0.5, 0.5, 0.9], [0, 1, 0, 1]).auroc).toBeCloseTo(0.875, 12);
    expect(rocAnalysis([0.5, 0.5, 0.5, 0.5], [0, 0, 1, 1]).auroc).toBeCloseTo(0.5, 12);
    // AP with all scores tied = prevalence (one threshold: P = 2/4 at R = 1).
    expect(rocAnalysis([0.5, 0.5, 0.5, 0.5], [0, 0, 1, 1]).ap).toBeCloseTo(0.5, 12);
  });

  it('equals the pairwise Mann–Whitney statistic on random data with many ties', () => {
    const rng = createRng(3);
    for (let trial = 0; trial < 20; trial++) {
      const n = 30 + trial;
      const labels = Array.from({ length: n }, () => (rng.next() < 0.4 ? 1 : 0));
      labels[0] = 0;
      labels[1] = 1;
      const scores = labels.map((l) => Math.round((rng.normal() + l) * 2) / 2);
      expect(rocAnalysis(scores, labels).auroc).toBeCloseTo(pairwiseAuc(scores, labels), 10);
    }
  });

  it('perfect separation gives 1, reversed gives 0, and unlabelled (-1) images are ignored', () => {
    expect(rocAnalysis([1, 2, 3, 4], [0, 0, 1, 1]).auroc).toBe(1);
    expect(rocAnalysis([1, 2, 3, 4], [0, 0, 1, 1]).ap).toBe(1);
    expect(rocAnalysis([4, 3, 2, 1], [0, 0, 1, 1]).auroc).toBe(0);
    expect(rocAnalysis([1, 2, 99, 3, 4], [0, 0, -1, 1, 1]).auroc).toBe(1);
  });
});

describe('scoreHistogram', () => {
  it('puts every finite score in exactly one bin, split by label', () => {
    const h = scoreHistogram([0, 0.5, 1, 1, 0.25], [0, 1, 1, -1, 0], 'x', 4);
    expect(h.edges).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(h.normal).toEqual([1, 1, 0, 0]);
    expect(h.anomalous).toEqual([0, 0, 1, 1]);
    expect(h.unknown).toEqual([0, 0, 0, 1]);
  });
});

describe('roc kernel', () => {
  it('outputs metrics and a ROC preview', async () => {
    const { ctx } = testContext();
    const { metrics } = await rocKernel.run({ scores: scoresValue([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]) }, rocNode.params.parse({}), ctx);
    expect(metrics).toMatchObject({ auroc: 0.75, nNormal: 2, nAnomalous: 2, scorer: 'test' });
    const preview = await rocKernel.preview!({ metrics }, rocNode.params.parse({}));
    expect(preview[0]).toMatchObject({ kind: 'scores', scores: [0.1, 0.4, 0.35, 0.8].map(Math.fround), labels: [0, 0, 1, 1], total: 4 });
    expect(preview[1]).toMatchObject({ kind: 'roc', auroc: 0.75, flippedHint: false });
  });

  it('sends the scores as evaluated (negated when lower is anomalous) for the threshold explorer', async () => {
    const params = rocNode.params.parse({ direction: 'lower-is-anomalous' });
    const { metrics } = await rocKernel.run({ scores: scoresValue([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]) }, params, testContext().ctx);
    const preview = await rocKernel.preview!({ metrics }, params);
    expect(preview[0]).toMatchObject({ kind: 'scores', scores: [-0.1, -0.4, -0.35, -0.8].map(Math.fround), scorer: metrics.scorer });
  });

  it('says so when AUROC < 0.5, without flipping it', async () => {
    const { ctx, warnings } = testContext();
    const { metrics } = await rocKernel.run({ scores: scoresValue([4, 3, 2, 1], [0, 0, 1, 1]) }, rocNode.params.parse({}), ctx);
    expect(metrics.auroc).toBe(0);
    expect(warnings.join()).toMatch(/below 0\.5.*direction = lower-is-anomalous would give 1\.000/);
    // Flipping is an explicit, visible choice: AUROC becomes 1 − AUROC and the scorer name says so.
    const flipped = await rocKernel.run({ scores: scoresValue([4, 3, 2, 1], [0, 0, 1, 1]) }, rocNode.params.parse({ direction: 'lower-is-anomalous' }), ctx);
    expect(flipped.metrics.auroc).toBe(1);
    expect(flipped.metrics.scorer).toMatch(/flipped/);
  });

  it('fails clearly on a single class, on no labels, and on NaN scores', async () => {
    const { ctx } = testContext({ nodeId: 'roc' });
    const code = async (s: ScoresValue) => {
      try {
        await rocKernel.run({ scores: s }, rocNode.params.parse({}), ctx);
        return 'no error';
      } catch (e) {
        return e instanceof KizukiError ? e.info.code : String(e);
      }
    };
    expect(await code(scoresValue([1, 2], [0, 0]))).toBe('SINGLE_CLASS');
    expect(await code(scoresValue([1, 2], [-1, -1]))).toBe('UNLABELLED');
    expect(await code(scoresValue([1, NaN], [0, 1]))).toBe('NON_FINITE_SCORES');
  });

  it('defaults to higher = more anomalous', () => {
    expect(rocNode.params.parse({})).toEqual({ direction: 'higher-is-anomalous' });
  });
});
