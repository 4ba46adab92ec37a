import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { KizukiError } from '../core/errors';
import type { ImageSetValue } from '../core/kernel-types';
import { createRng } from '../core/random';
import { disposeOutputs } from '../../workers/engine/values';
import { testContext } from '../../tests/unit/helpers/context';
import { latentDistances } from '../latent-distance/kernel';
import { gaussianBlur } from '../residual-max/kernel';
import { imageFeatureKinds, imageFeaturesNode } from './definition';
import { computeFeatures, imageFeaturesKernel, LOG_EPSILON, orderedFeatures } from './kernel';

const set = (values: number[], shape: [number, number, number, number], labels?: number[]): ImageSetValue => ({
  kind: 'ImageSet',
  images: tf.tensor4d(values, shape),
  labels: Int8Array.from(labels ?? Array.from({ length: shape[0] }, (_, i) => i % 2)),
  names: Array.from({ length: shape[0] }, (_, i) => `img${i}`),
  masks: null,
  summary: { source: 'test', loaded: shape[0], skipped: [], perClass: {} },
});

const random = (n: number, seed: number) => {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => rng.next());
};

const params = (p: Record<string, unknown> = {}) => imageFeaturesNode.params.parse(p);
const all = [...imageFeatureKinds];

describe('image-features kernel', () => {
  // x = [[0,1],[1,0]], x̂ = [[0,0.5],[1,0.25]] → D = [[0,0.5],[0,0.25]].
  // residual: mean 0.1875, max 0.5, top-1 % (⌈0.04⌉ = 1 pixel) 0.5.
  // x̂: mean 0.4375; var = (0.19140625 + 0.00390625 + 0.31640625 + 0.03515625)/4 = 0.13671875;
  //    sharpness = mean(0.5², 0.75²) + mean(1², 0.25²) = 0.40625 + 0.53125 = 0.9375.
  // x: mean 0.5, std 0.5, sharpness = mean(1, 1) + mean(1, 1) = 2.
  const expected = [0.1875, 0.5, 0.5, 0.4375, Math.sqrt(0.13671875), 0.9375, 0.5, 0.5, 2];

  it('computes every feature on a hand-checked 2×2 pair (log off), leaking nothing', async () => {
    const images = set([0, 1, 1, 0], [1, 2, 2, 1]);
    const recon = set([0, 0.5, 1, 0.25], [1, 2, 2, 1]);
    const before = tf.memory().numTensors;
    const out = await imageFeaturesKernel.run({ images, recon }, params({ features: all, blurSigma: 0, log: false }), testContext().ctx);
    expect(tf.memory().numTensors).toBe(before + 1);
    expect(out.features.vectors.shape).toEqual([1, 9]);
    expect(Array.from(out.features.vectors.dataSync())).toEqual(expected.map((v) => expect.closeTo(v, 6)));
    expect(out.features.labels).toBe(images.labels);
    disposeOutputs(out);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([images.images, recon.images]);
  });

  it('log: log(v + 1e-8) of each feature', async () => {
    const images = set([0, 1, 1, 0], [1, 2, 2, 1]);
    const recon = set([0, 0.5, 1, 0.25], [1, 2, 2, 1]);
    const out = await imageFeaturesKernel.run({ images, recon }, params({ features: all, blurSigma: 0 }), testContext().ctx);
    expect(Array.from(out.features.vectors.dataSync())).toEqual(expected.map((v) => expect.closeTo(Math.log(v + LOG_EPSILON), 5)));
    disposeOutputs(out);
    tf.dispose([images.images, recon.images]);
  });

  it('puts columns in the fixed order whatever the pick order, without duplicates', () => {
    expect(orderedFeatures(['image-std', 'residual-mean', 'image-std'])).toEqual(['residual-mean', 'image-std']);
  });

  it('invariant: with x̂ = x the recon-* features equal the image-* ones and residuals are 0', () => {
    const x = tf.tensor4d(random(3 * 8 * 8, 1), [3, 8, 8, 1]);
    const f = computeFeatures(x, x, all, 1);
    const v = f.arraySync();
    for (const row of v) {
      expect(row.slice(0, 3)).toEqual([0, 0, 0]);
      expect(row.slice(3, 6)).toEqual(row.slice(6, 9).map((a) => expect.closeTo(a, 6)));
    }
    tf.dispose([x, f]);
  });

  it('averages the residual over channels and takes image statistics on the grey mean', () => {
    const x = tf.tensor4d([0.3, 0.6, 0.9], [1, 1, 1, 3]);
    const r = tf.zeros([1, 1, 1, 3]) as tf.Tensor4D;
    const f = computeFeatures(x, r, ['residual-mean', 'image-mean', 'image-sharpness'], 0);
    expect(Array.from(f.dataSync())).toEqual([expect.closeTo(0.6, 6), expect.closeTo(0.6, 6), 0]);
    tf.dispose([x, r, f]);
  });

  it('residual-max is the max of the Gaussian-blurred residual (blurSigma)', () => {
    const spike = Array.from({ length: 81 }, (_, i) => (i === 40 ? 1 : 0));
    const x = tf.tensor4d(spike, [1, 9, 9, 1]);
    const r = tf.zeros([1, 9, 9, 1]) as tf.Tensor4D;
    const f = computeFeatures(x, r, ['residual-max'], 1);
    const blurred = gaussianBlur(x, 1);
    expect(f.dataSync()[0]!).toBeCloseTo(tf.max(blurred).dataSync()[0]!, 6);
    expect(f.dataSync()[0]!).toBeLessThan(0.2);
    tf.dispose([x, r, f, blurred]);
  });

  it('processes more images than one chunk (70) the same as all at once, with progress', async () => {
    const images = set(random(70 * 16, 2), [70, 4, 4, 1]);
    const recon = set(random(70 * 16, 3), [70, 4, 4, 1]);
    const { ctx, progress } = testContext();
    const out = await imageFeaturesKernel.run({ images, recon }, params({ features: all, log: false }), ctx);
    const direct = computeFeatures(images.images, recon.images, all, 2);
    expect(Array.from(out.features.vectors.dataSync())).toEqual(Array.from(direct.dataSync()).map((v) => expect.closeTo(v, 6)));
    expect(progress.at(-1)).toMatchObject({ fraction: 1 });
    disposeOutputs(out);
    tf.dispose([images.images, recon.images, direct]);
  });

  it('image-* features need no reconstructions; residual-*/recon-* without them fail with MISSING_INPUT naming recon', async () => {
    const images = set(random(2 * 16, 4), [2, 4, 4, 1]);
    const ok = await imageFeaturesKernel.run({ images, recon: undefined }, params({ features: ['image-mean', 'image-std'] }), testContext().ctx);
    expect(ok.features.vectors.shape).toEqual([2, 2]);
    disposeOutputs(ok);
    const before = tf.memory().numTensors;
    const err = await imageFeaturesKernel.run({ images, recon: undefined }, params(), testContext({ nodeId: 'feat' }).ctx).catch((e) => e);
    expect(err).toBeInstanceOf(KizukiError);
    expect(err.info).toMatchObject({ code: 'MISSING_INPUT', nodeId: 'feat', field: 'features' });
    expect(err.info.message).toMatch(/input "recon" is not connected/);
    expect(err.info.hint).toMatch(/residual-mean.*Reconstruct node/);
    expect(tf.memory().numTensors).toBe(before);
    images.images.dispose();
  });

  it('rejects reconstructions of another shape, and NaN pixels with a clear reason', async () => {
    const images = set(random(2 * 16, 5), [2, 4, 4, 1]);
    const wrong = set(random(16, 6), [1, 4, 4, 1]);
    const e1 = await imageFeaturesKernel.run({ images, recon: wrong }, params(), testContext().ctx).catch((e) => e);
    expect(e1.info.code).toBe('SHAPE_MISMATCH');
    const nan = set([NaN, ...random(31, 7)], [2, 4, 4, 1]);
    const before = tf.memory().numTensors;
    const e2 = await imageFeaturesKernel.run({ images, recon: nan }, params(), testContext().ctx).catch((e) => e);
    expect(e2.info).toMatchObject({ code: 'KERNEL_FAILED', hint: expect.stringMatching(/NaN/) });
    expect(e2.info.message).toMatch(/feature values are NaN or infinite/);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([images.images, wrong.images, nan.images]);
  });

  it('previews per-class feature means', async () => {
    // Two images: normal with x̂ = x (residual 0), anomalous with x̂ = 0.
    const images = set([0.5, 0.5, 0.5, 0.5, 0.4, 0.4, 0.4, 0.4], [2, 2, 2, 1], [0, 1]);
    const recon = set([0.5, 0.5, 0.5, 0.5, 0, 0, 0, 0], [2, 2, 2, 1], [0, 1]);
    const p = params({ features: ['residual-mean', 'image-mean'], log: false });
    const out = await imageFeaturesKernel.run({ images, recon }, p, testContext().ctx);
    const [preview] = await imageFeaturesKernel.preview!(out, p);
    expect(preview).toMatchObject({
      kind: 'text',
      lines: [
        'Mean feature per class (normal n = 1, anomalous n = 1):',
        'residual-mean: normal 0.000 · anomalous 0.4000',
        'image-mean: normal 0.5000 · anomalous 0.4000',
        expect.stringMatching(/acquisition/),
      ],
    });
    disposeOutputs(out);
    tf.dispose([images.images, recon.images]);
  });

  it('feeds the Latent distance node: Mahalanobis over a few feature columns matches the closed form', async () => {
    // Reference features (n = 4, F = 2): (±1, 0), (0, ±10) → mean 0, covariance diag(1/2, 50) (1/n normalisation).
    // Query (1, 1): d² = 1/(1/2) + 1/50 = 2.02; without shrinkage and with a negligible ridge.
    const train = tf.tensor2d([[1, 0], [-1, 0], [0, 10], [0, -10]]);
    const query = tf.tensor2d([[1, 1]]);
    const before = tf.memory().numTensors;
    const r = await latentDistances(train, query, { metric: 'mahalanobis', shrinkage: 'fixed', shrinkageAmount: 0, epsilon: 1e-9 });
    expect(r.images[0]!).toBeCloseTo(Math.sqrt(2.02), 5);
    expect(r.solver).toBe('primal');
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([train, query]);
    // The output port is an Embeddings value, the type of the Latent distance inputs.
    expect(imageFeaturesNode.outputs.features.type).toBe('Embeddings');
  });

  it('has documented defaults (the six AutoEncoder features, σ = 2, log on)', () => {
    expect(imageFeaturesNode.params.parse({})).toEqual({
      features: ['residual-mean', 'residual-max', 'residual-top1', 'recon-mean', 'recon-std', 'recon-sharpness'],
      blurSigma: 2,
      log: true,
    });
    expect(imageFeaturesNode.params.safeParse({ features: [] }).success).toBe(false);
    expect(imageFeaturesNode.params.safeParse({ features: ['residual-median'] }).success).toBe(false);
  });
});
