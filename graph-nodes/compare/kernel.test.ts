import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { KizukiError } from '../core/errors';
import type { ScoresValue } from '../core/kernel-types';
import { rocAnalysis } from '../core/score-stats';
import { disposeOutputs } from '../../workers/engine/values';
import { testContext } from '../../tests/unit/helpers/context';
import { compareNode } from './definition';
import { compareKernel } from './kernel';

const labels = [0, 0, 1, 1, 0, 1];
const scoresValue = (scorer: string, scores: number[], l = labels): ScoresValue => ({
  kind: 'Scores',
  scorer,
  scores: Float32Array.from(scores),
  labels: Int8Array.from(l),
  names: scores.map((_, i) => `img${i}`),
});

describe('compare kernel', () => {
  it('gives each input exactly the ROC curve, AUROC and AP of rocAnalysis, flags AUROC < 0.5, and has no outputs', async () => {
    const a = scoresValue('residual max', [0.1, 0.4, 0.35, 0.8, 0.2, 0.9]);
    const b = scoresValue('latent distance', [0.9, 0.8, 0.1, 0.2, 0.7, 0.3]);
    const d = scoresValue('residual max', [1, 2, 3, 4, 5, 6]);
    const before = tf.memory().numTensors;
    const { ctx, warnings } = testContext();
    const out = await compareKernel.run({ a, b, c: undefined, d }, {}, ctx);
    expect(out).toEqual({});
    disposeOutputs(out);
    expect(tf.memory().numTensors).toBe(before);
    const preview = await compareKernel.preview!(out, {});
    const rc = preview[0] as Extract<(typeof preview)[number], { kind: 'roc-compare' }>;
    expect(rc.kind).toBe('roc-compare');
    expect(rc.curves.map((c) => c.scorer)).toEqual(['residual max (a)', 'latent distance', 'residual max (d)']);
    [a, b, d].forEach((s, k) => {
      const r = rocAnalysis(s.scores, s.labels);
      expect(rc.curves[k]).toEqual({ scorer: rc.curves[k]!.scorer, fpr: r.fpr, tpr: r.tpr, auroc: r.auroc, ap: r.ap, flipped: r.auroc < 0.5 });
    });
    expect(rc.curves[1]!.auroc).toBe(0); // b ranks every normal above every anomaly
    expect(rc.curves[1]!.ap).toBeCloseTo((1 / 4 + 2 / 5 + 3 / 6) / 3, 12); // anomalies at ranks 4, 5, 6
    expect(rc.curves.map((c) => c.flipped)).toEqual([false, true, false]);
    expect(rc).toMatchObject({ nNormal: 3, nAnomalous: 3 });
    expect(warnings.join()).toMatch(/latent distance: AUROC 0\.000 is below 0\.5/);
    expect((preview[1] as { lines: string[] }).lines[1]).toBe('latent distance: AUROC 0.000, AP 0.383 ⚠ below 0.5 (points the wrong way)');
  });

  it('works with a single scorer', async () => {
    const out = await compareKernel.run({ a: scoresValue('x', [1, 2, 3, 4, 5, 6]), b: undefined, c: undefined, d: undefined }, {}, testContext().ctx);
    const preview = await compareKernel.preview!(out, {});
    expect(preview[0]).toMatchObject({ kind: 'roc-compare', curves: [{ scorer: 'x' }] });
  });

  it('rejects scorers of different images, a single class, and NaN scores, naming the input', async () => {
    const info = async (inputs: Record<string, ScoresValue>) => {
      const err = await compareKernel.run(inputs as never, {}, testContext({ nodeId: 'cmp' }).ctx).catch((e) => e);
      expect(err).toBeInstanceOf(KizukiError);
      return err.info;
    };
    const a = scoresValue('a', [1, 2, 3, 4, 5, 6]);
    expect(await info({ a, b: scoresValue('b', [1, 2, 3], [0, 1, 0]) })).toMatchObject({ code: 'SHAPE_MISMATCH', nodeId: 'cmp', message: expect.stringMatching(/scorer b scored 3 images but scorer a scored 6/) });
    expect(await info({ a, c: scoresValue('c', [1, 2, 3, 4, 5, 6], [1, 1, 1, 1, 1, 0]) })).toMatchObject({ code: 'SHAPE_MISMATCH', message: expect.stringMatching(/different labels/) });
    expect(await info({ a: scoresValue('a', [1, 2], [0, 0]) })).toMatchObject({ code: 'SINGLE_CLASS' });
    expect(await info({ a, b: scoresValue('b', [1, 2, 3, NaN, 5, 6]) })).toMatchObject({ code: 'NON_FINITE_SCORES', message: expect.stringMatching(/scorer b/) });
  });

  it('has an empty params schema and optional inputs b, c, d', () => {
    expect(compareNode.params.parse({})).toEqual({});
    expect([compareNode.inputs.a, compareNode.inputs.b, compareNode.inputs.c, compareNode.inputs.d].map((p) => 'optional' in p && p.optional === true)).toEqual([false, true, true, true]);
  });
});
