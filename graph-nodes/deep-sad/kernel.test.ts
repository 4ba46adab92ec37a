import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { createRng } from '../core/random';
import { rocAnalysis } from '../core/score-stats';
import { disposeOutputs } from '../../workers/engine/values';
import { testContext } from '../../tests/unit/helpers/context';
import { deepSadLoss, SAD_EPS, sphereSummaries } from '../deep-svdd/model';
import { deepSadNode } from './definition';
import { batchPlanner, deepSadKernel } from './kernel';
import { blobs, concatSets } from '../../tests/unit/helpers/blobs';

const params = (p: Record<string, unknown> = {}) =>
  deepSadNode.params.parse({ channels: [4, 8], repDim: 8, epochs: 4, batchSize: 8, labelledPerBatch: 2, learningRate: 0.003, ...p });

describe('Deep SAD loss and batches', () => {
  it('matches the hand-computed loss: mean of d², η(d² + ε), η/(d² + ε)', () => {
    const d2 = tf.tensor1d([1, 5, 2, 0.5]);
    // ỹ = [0, +1, −1, −1], η = 2: [1, 2·5, 2/2, 2/0.5] = [1, 10, 1, 4] → mean 4 (ε = 1e-6 changes the 6th decimal)
    const loss = deepSadLoss(d2, [0, 1, -1, -1], 2);
    expect(loss.dataSync()[0]).toBeCloseTo(4, 5);
    const exact = deepSadLoss(d2, [0, 1, -1, -1], 2, 0);
    expect(exact.dataSync()[0]).toBeCloseTo(4, 6);
    // With only unlabelled rows it is the one-class loss.
    const unl = deepSadLoss(d2, [0, 0, 0, 0], 2);
    expect(unl.dataSync()[0]).toBeCloseTo(2.125, 6);
    // The inverse term stays finite at d² = 0 thanks to ε.
    const zero = tf.tensor1d([0]);
    const atZero = deepSadLoss(zero, [-1], 1);
    expect(atZero.dataSync()[0]).toBeCloseTo(1 / SAD_EPS, 0);
    tf.dispose([d2, loss, exact, unl, zero, atZero]);
  });

  it('puts labelled anomalies in every batch, cycling through all of them (oversampling)', () => {
    const next = batchPlanner(10, 3, 4, 2, createRng(1));
    const epoch = next();
    expect(epoch.map((b) => b.train.length)).toEqual([4, 4, 2]);
    expect(epoch.flatMap((b) => b.train).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    for (const b of epoch) expect(b.anomalies).toHaveLength(2);
    // 6 draws from a cycle of 3: every anomaly exactly twice.
    const counts = [0, 0, 0];
    for (const a of epoch.flatMap((b) => b.anomalies)) counts[a]!++;
    expect(counts).toEqual([2, 2, 2]);
  });
});

describe('deep-sad kernel', () => {
  it('trains, separates blobs from inverted blobs with 4 labelled anomalies (AUROC > 0.9), and leaks nothing', async () => {
    const train = blobs(32, 4);
    const anomalies = blobs(4, 9, true);
    const images = concatSets(blobs(16, 5), blobs(16, 6, true));
    const before = tf.memory().numTensors;
    const { ctx, previews } = testContext();
    const out = await deepSadKernel.run({ train, anomalies, images, pretrained: undefined }, params(), ctx);
    const summary = sphereSummaries.get(out.scores)!;
    expect(summary.losses).toHaveLength(4);
    expect(summary.losses.at(-1)!).toBeLessThan(summary.losses[0]!);
    expect(previews).toHaveLength(4);
    expect(rocAnalysis(out.scores.scores, out.scores.labels).auroc).toBeGreaterThan(0.9);
    expect(out.embeddings.vectors.shape).toEqual([32, 8]);
    const preview = await deepSadKernel.preview!(out, params());
    expect(preview.map((p) => p.kind)).toEqual(['loss', 'histogram', 'scatter', 'text']);
    expect(tf.memory().numTensors).toBe(before + 1);
    disposeOutputs(out);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([train.images, anomalies.images, images.images]);
  });

  it('pushes the labelled anomalies away from c (their distance grows relative to the normals)', async () => {
    const train = blobs(24, 4);
    const anomalies = blobs(4, 9, true);
    const out = await deepSadKernel.run({ train, anomalies, images: anomalies, pretrained: undefined }, params(), testContext().ctx);
    const normals = await deepSadKernel.run({ train, anomalies, images: train, pretrained: undefined }, params(), testContext().ctx);
    const maxNormal = Math.max(...normals.scores.scores);
    expect(Math.min(...out.scores.scores)).toBeGreaterThan(maxNormal);
    disposeOutputs(out);
    disposeOutputs(normals);
    tf.dispose([train.images, anomalies.images]);
  });

  it('warns about anomalous training images and normal "anomalies"', async () => {
    const train = concatSets(blobs(8, 4), blobs(1, 9, true));
    const anomalies = blobs(2, 9);
    const { ctx, warnings } = testContext();
    const out = await deepSadKernel.run({ train, anomalies, images: train, pretrained: undefined }, params({ epochs: 1 }), ctx);
    expect(warnings.join('\n')).toMatch(/1 training images are labelled anomalous/);
    expect(warnings.join('\n')).toMatch(/2 of the labelled anomalies are labelled normal/);
    disposeOutputs(out);
    tf.dispose([train.images, anomalies.images]);
  });

  it('stops with NAN_LOSS, and rejects anomalies of another shape, leaking nothing', async () => {
    const train = blobs(8, 1, false, (v) => (v > 0.9 ? NaN : v));
    const anomalies = blobs(2, 9, true);
    const before = tf.memory().numTensors;
    const err = await deepSadKernel.run({ train, anomalies, images: train, pretrained: undefined }, params(), testContext({ nodeId: 'sad' }).ctx).catch((e) => e);
    expect(err.info).toMatchObject({ code: 'NAN_LOSS', nodeId: 'sad' });
    const small = { ...anomalies, images: tf.zeros([2, 8, 8, 1]) as tf.Tensor4D };
    const err2 = await deepSadKernel.run({ train, anomalies: small, images: train, pretrained: undefined }, params(), testContext().ctx).catch((e) => e);
    expect(err2.info.code).toBe('SHAPE_MISMATCH');
    expect(err2.info.message).toMatch(/labelled anomalies/);
    small.images.dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([train.images, anomalies.images]);
  });

  it('has documented defaults', () => {
    expect(deepSadNode.params.parse({})).toMatchObject({ eta: 1, labelledPerBatch: 4, channels: [8, 16, 32], repDim: 32 });
    expect(deepSadNode.params.safeParse({ eta: 0 }).success).toBe(false);
  });
});
