import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { KizukiError } from '../core/errors';
import type { FeatureExtractorValue } from '../core/kernel-types';
import { rocAnalysis } from '../core/score-stats';
import { disposeOutputs } from '../../workers/engine/values';
import { testContext } from '../../tests/unit/helpers/context';
import { buildAutoEncoder } from '../autoencoder/model';
import { deepSvddNode } from './definition';
import { deepSvddKernel } from './kernel';
import {
  biasWeights,
  buildNetwork,
  collapseReason,
  computeCentre,
  copyPretrainedKernels,
  oneClassLoss,
  principalAxes,
  quantile,
  radiusFromDistances,
  softBoundaryLoss,
  sphereScatter,
  sphereSummaries,
  squaredDistances,
} from './model';
import { blobs, concatSets } from '../../tests/unit/helpers/blobs';

const params = (p: Record<string, unknown> = {}) =>
  deepSvddNode.params.parse({ channels: [4, 8], repDim: 8, epochs: 5, batchSize: 8, learningRate: 0.003, ...p });

const values = (t: tf.Tensor) => Array.from(t.dataSync());

describe('Deep SVDD maths', () => {
  it('centre = mean of the embeddings, with |c_j| < 0.1 moved to ±0.1 (sign kept, 0 → +0.1)', () => {
    const emb = tf.tensor2d([
      [0.05, 1, -0.3, 0],
      [-0.15, 3, -0.1, 0],
    ]);
    // mean = [-0.05, 2, -0.2, 0] → [-0.1, 2, -0.2, 0.1]
    const c = computeCentre(emb);
    expect(values(c)).toEqual([-0.1, 2, -0.2, 0.1].map((v) => expect.closeTo(v, 6)));
    tf.dispose([emb, c]);
  });

  it('one-class, soft-boundary losses and squared distances on a toy batch', () => {
    const emb = tf.tensor2d([
      [1, 2],
      [3, 0],
    ]);
    const c = tf.tensor1d([1, 1]);
    const d2 = squaredDistances(emb, c); // [1, 5]
    expect(values(d2)).toEqual([1, 5]);
    const oc = oneClassLoss(d2);
    expect(oc.dataSync()[0]).toBeCloseTo(3, 6);
    // R = 2, ν = 0.5: 4 + (1/0.5)·mean(max(0, [1 − 4, 5 − 4])) = 4 + 2·0.5 = 5
    const sb = softBoundaryLoss(d2, 2, 0.5);
    expect(sb.dataSync()[0]).toBeCloseTo(5, 6);
    // R = 0: (1/ν)·mean d² = 2·3 = 6
    const sb0 = softBoundaryLoss(d2, 0, 0.5);
    expect(sb0.dataSync()[0]).toBeCloseTo(6, 6);
    tf.dispose([emb, c, d2, oc, sb, sb0]);
  });

  it('R update = (1−ν)-quantile of the distances (numpy linear interpolation)', () => {
    expect(quantile([4, 1, 3, 2], 0.5)).toBe(2.5);
    expect(quantile([10], 0.9)).toBe(10);
    // distances 1..5 from squared 1..25; ν = 0.25 → 0.75-quantile at position 3 → 4
    expect(radiusFromDistances([25, 1, 9, 4, 16], 0.25)).toBeCloseTo(4, 12);
    // ν = 0.1 → 0.9-quantile at position 3.6 → 4.6
    expect(radiusFromDistances([1, 4, 9, 16, 25], 0.1)).toBeCloseTo(4.6, 12);
  });

  it('the network is bias-free, unbounded, and shrinks 16×16 by 2 per conv', () => {
    const net = buildNetwork({ inputShape: [16, 16, 1], channels: [4, 8], kernelSize: 3, repDim: 8, seed: 0 });
    expect(biasWeights(net)).toEqual([]);
    for (const layer of net.layers) {
      const config = layer.getConfig();
      if ('useBias' in config) expect(config.useBias, layer.name).toBe(false);
      if ('activation' in config) expect(['linear'], layer.name).toContain(config.activation);
    }
    expect(net.layers.map((l) => l.getClassName())).toEqual(['Conv2D', 'LeakyReLU', 'Conv2D', 'LeakyReLU', 'Flatten', 'Dense']);
    expect(net.outputs[0]!.shape).toEqual([null, 8]);
    // Without bias φ(0) = 0 exactly.
    const out = net.predict(tf.zeros([1, 16, 16, 1])) as tf.Tensor;
    expect(values(out).every((v) => v === 0)).toBe(true);
    tf.dispose(out);
    net.dispose();
    expect(() => buildNetwork({ inputShape: [20, 20, 1], channels: [4, 8, 16], kernelSize: 3, repDim: 8, seed: 0 })).toThrow(/divisible by 2\^3/);
  });

  it('copies conv kernels (not biases) from an AutoEncoder encoder with matching shapes', () => {
    const ae = buildAutoEncoder({ inputShape: [16, 16, 1], channels: [4, 8], codeChannels: 2, seed: 3 });
    const net = buildNetwork({ inputShape: [16, 16, 1], channels: [4, 8], kernelSize: 3, repDim: 8, seed: 0 });
    expect(copyPretrainedKernels(net, ae.encoder)).toBe(2);
    expect(values(net.layers[2]!.getWeights()[0]!)).toEqual(values(ae.encoder.getLayer('enc_conv2').getWeights()[0]!));
    const other = buildNetwork({ inputShape: [16, 16, 1], channels: [5, 8], kernelSize: 3, repDim: 8, seed: 0 });
    expect(copyPretrainedKernels(other, ae.encoder)).toBe(0);
    net.dispose();
    other.dispose();
    ae.autoencoder.dispose();
  });

  it('detects collapse: same point, all at c, or R → 0', () => {
    const initial = { meanDist2: 2, spread: 1 };
    expect(collapseReason(initial, { meanDist2: 0.5, spread: 0.2 })).toBeNull();
    expect(collapseReason(initial, { meanDist2: 0.5, spread: 0 })).toMatch(/same point/);
    expect(collapseReason({ meanDist2: 0, spread: 0 }, { meanDist2: 0, spread: 0 })).toMatch(/same point/);
    expect(collapseReason(initial, { meanDist2: 1e-9, spread: 0.2 })).toMatch(/centre c/);
    expect(collapseReason(initial, { meanDist2: 0.5, spread: 0.2 }, 1e-5)).toMatch(/radius R/);
    expect(collapseReason(initial, { meanDist2: 0.5, spread: 0.2 }, 0.3)).toBeNull();
    expect(collapseReason(initial, { meanDist2: NaN, spread: 0.2 })).not.toBeNull();
  });

  it('principal axes by power iteration find the directions of largest variance', () => {
    // Points spread ±3 along (1,1,0)/√2 and ±1 along (0,0,1).
    const rows = [
      [3, 3, 0],
      [-3, -3, 0],
      [0, 0, 1],
      [0, 0, -1],
    ].map((r) => r.map((v, j) => (j < 2 ? v / Math.SQRT2 : v)));
    const [u, v] = principalAxes(Float32Array.from(rows.flat()), 4, 3, 2);
    expect(Math.abs(u![0]!)).toBeCloseTo(Math.SQRT1_2, 5);
    expect(u![0]! * u![1]!).toBeCloseTo(0.5, 5);
    expect(Math.abs(v![2]!)).toBeCloseTo(1, 5);
  });

  it('projects around c: a point at distance r from c on the main axis lands at distance r from the origin', async () => {
    const train = tf.tensor2d([
      [2, 1],
      [0, 1],
      [1, 1.1],
      [1, 0.9],
    ]);
    const c = tf.tensor1d([1, 1]);
    const scored = tf.tensor2d([[4, 1]]);
    const before = tf.memory().numTensors;
    const s = await sphereScatter(train, scored, c, [1], 0.5, 'radius R');
    expect(tf.memory().numTensors).toBe(before);
    expect(Math.abs(s.points[0]!.x)).toBeCloseTo(3, 5);
    expect(s.points[0]!.y).toBeCloseTo(0, 5);
    expect(s.circle).toEqual({ cx: 0, cy: 0, r: 0.5 });
    expect(s.title).toMatch(/projected/);
    tf.dispose([train, c, scored]);
  });
});

describe('deep-svdd kernel', () => {
  it('trains (loss falls), scores and embeds the images, previews, and leaks nothing', async () => {
    const train = blobs(32, 1);
    const images = concatSets(blobs(6, 2), blobs(6, 3, true));
    const before = tf.memory().numTensors;
    const { ctx, previews, progress } = testContext();
    const out = await deepSvddKernel.run({ train, images, pretrained: undefined }, params(), ctx);
    const losses = sphereSummaries.get(out.scores)!.losses;
    expect(losses).toHaveLength(5);
    expect(losses.at(-1)!).toBeLessThan(losses[0]! * 0.5);
    expect(out.scores.scores).toHaveLength(12);
    expect(out.embeddings.vectors.shape).toEqual([12, 8]);
    expect(previews).toHaveLength(5);
    expect(progress.at(-1)).toMatchObject({ fraction: 1, epoch: 5, epochs: 5 });
    const preview = await deepSvddKernel.preview!(out, params());
    expect(preview.map((p) => p.kind)).toEqual(['loss', 'histogram', 'scatter', 'text']);
    const scatter = preview[2] as Extract<(typeof preview)[number], { kind: 'scatter' }>;
    expect(scatter.points).toHaveLength(12);
    expect(tf.memory().numTensors).toBe(before + 1);
    disposeOutputs(out);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([train.images, images.images]);
  });

  it('separates blobs from inverted blobs (AUROC > 0.9) after a few epochs', async () => {
    const train = blobs(48, 4);
    const images = concatSets(blobs(16, 5), blobs(16, 6, true));
    const out = await deepSvddKernel.run({ train, images, pretrained: undefined }, params({ epochs: 4 }), testContext().ctx);
    expect(rocAnalysis(out.scores.scores, out.scores.labels).auroc).toBeGreaterThan(0.9);
    disposeOutputs(out);
    tf.dispose([train.images, images.images]);
  });

  it('soft-boundary: R is the (1−ν)-quantile of the training distances; about ν of them lie outside', async () => {
    const train = blobs(40, 7);
    const p = params({ objective: 'soft-boundary', nu: 0.2, warmUpEpochs: 1, epochs: 3 });
    const out = await deepSvddKernel.run({ train, images: train, pretrained: undefined }, p, testContext().ctx);
    const summary = sphereSummaries.get(out.scores)!;
    expect(summary.radius).toBeCloseTo(radiusFromDistances(out.scores.scores, 0.2), 4);
    const outside = out.scores.scores.filter((d2) => d2 > summary.radius ** 2 * (1 + 1e-6)).length;
    expect(outside).toBe(8); // 20% of 40, interpolated quantile between order statistics 31 and 32 (0-based)
    expect(summary.scatter.circle!.r).toBe(summary.radius);
    disposeOutputs(out);
    train.images.dispose();
  });

  it('initialises from a pretrained encoder, and warns when the kernels do not fit', async () => {
    const train = blobs(8, 1);
    const ae = buildAutoEncoder({ inputShape: [16, 16, 1], channels: [4, 8], codeChannels: 2, seed: 3 });
    const extractor: FeatureExtractorValue = {
      kind: 'FeatureExtractor',
      name: 'AutoEncoder encoder',
      inputShape: [16, 16, 1],
      extract: (x) => [ae.encoder.predict(x) as tf.Tensor4D],
      model: ae.encoder,
      dispose: () => {},
    };
    const before = tf.memory().numTensors;
    const out = await deepSvddKernel.run({ train, images: train, pretrained: extractor }, params({ epochs: 1 }), testContext().ctx);
    expect(sphereSummaries.get(out.scores)!.pretrainedLayers).toBe(2);
    disposeOutputs(out);
    const { ctx, warnings } = testContext();
    const out2 = await deepSvddKernel.run({ train, images: train, pretrained: { ...extractor, model: undefined } as FeatureExtractorValue }, params({ epochs: 1 }), ctx);
    expect(warnings.join()).toMatch(/no trainable network/);
    disposeOutputs(out2);
    const { ctx: ctx3, warnings: w3 } = testContext();
    const out3 = await deepSvddKernel.run({ train, images: train, pretrained: extractor }, params({ epochs: 1, channels: [6, 8] }), ctx3);
    expect(w3.join()).toMatch(/do not match/);
    disposeOutputs(out3);
    expect(tf.memory().numTensors).toBe(before);
    ae.autoencoder.dispose();
    train.images.dispose();
  });

  it('fails with COLLAPSED when every image maps to the same point, leaking nothing', async () => {
    const flat = blobs(8, 1, false, () => 0);
    const before = tf.memory().numTensors;
    const err = await deepSvddKernel.run({ train: flat, images: flat, pretrained: undefined }, params({ epochs: 1 }), testContext({ nodeId: 'svdd' }).ctx).catch((e) => e);
    expect(err).toBeInstanceOf(KizukiError);
    expect(err.info).toMatchObject({ code: 'COLLAPSED', nodeId: 'svdd', hint: expect.stringMatching(/bias-free/) });
    expect(err.info.message).toMatch(/hypersphere collapsed/);
    expect(tf.memory().numTensors).toBe(before);
    flat.images.dispose();
  });

  it('stops with NAN_LOSS when the loss is not finite, leaking nothing', async () => {
    const train = blobs(8, 1, false, (v) => (v > 0.9 ? NaN : v));
    const before = tf.memory().numTensors;
    const err = await deepSvddKernel.run({ train, images: train, pretrained: undefined }, params({ epochs: 2 }), testContext({ nodeId: 'svdd' }).ctx).catch((e) => e);
    expect(err.info).toMatchObject({ code: 'NAN_LOSS', nodeId: 'svdd', hint: expect.stringMatching(/learning rate/) });
    expect(tf.memory().numTensors).toBe(before);
    train.images.dispose();
  });

  it('stops promptly when cancelled, leaking nothing', async () => {
    const train = blobs(16, 1);
    const before = tf.memory().numTensors;
    const controller = new AbortController();
    const { ctx } = testContext({ signal: controller.signal });
    const run = deepSvddKernel.run({ train, images: train, pretrained: undefined }, params({ epochs: 1000, batchSize: 4 }), {
      ...ctx,
      progress: (p) => {
        if (p.fraction > 0.001) controller.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(tf.memory().numTensors).toBe(before);
    train.images.dispose();
  });

  it('rejects mismatched shapes and image sizes the convs cannot halve', async () => {
    const train = blobs(4, 1);
    const other = { ...blobs(2, 2), images: tf.zeros([2, 8, 8, 1]) as tf.Tensor4D };
    const err = await deepSvddKernel.run({ train, images: other, pretrained: undefined }, params(), testContext().ctx).catch((e) => e);
    expect(err.info.code).toBe('SHAPE_MISMATCH');
    const err2 = await deepSvddKernel.run({ train, images: train, pretrained: undefined }, params({ channels: [2, 2, 2, 2, 2] }), testContext().ctx).catch((e) => e);
    expect(err2.info).toMatchObject({ code: 'INVALID_PARAM', field: 'channels' });
    tf.dispose([train.images, other.images]);
  });

  it('has documented defaults and bounds', () => {
    expect(deepSvddNode.params.parse({})).toMatchObject({ objective: 'one-class', nu: 0.1, channels: [8, 16, 32], kernelSize: 3, weightDecay: 1e-6 });
    expect(deepSvddNode.params.safeParse({ nu: 0 }).success).toBe(false);
    expect(deepSvddNode.params.safeParse({ nu: 1.5 }).success).toBe(false);
  });
});
