import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { KizukiError } from '../core/errors';
import { disposeOutputs } from '../../workers/engine/values';
import { testContext } from '../../tests/unit/helpers/context';
import { autoencoderNode } from './definition';
import { autoencoderKernel } from './kernel';
import { buildAutoEncoder } from './model';
import { blobs } from '../../tests/unit/helpers/blobs';

const params = (p: Record<string, unknown> = {}) =>
  autoencoderNode.params.parse({ channels: [4, 8], codeChannels: 4, epochs: 6, batchSize: 8, learningRate: 0.01, ...p });

describe('AutoEncoder model', () => {
  it('mirrors the encoder: 16×16×1 → 4×4×code → 16×16×1, and the lecture sizes give a 4×4×256 code', () => {
    const small = buildAutoEncoder({ inputShape: [16, 16, 1], channels: [4, 8], codeChannels: 3, seed: 0 });
    expect(small.encoder.outputs[0]!.shape).toEqual([null, 4, 4, 3]);
    expect(small.autoencoder.outputs[0]!.shape).toEqual([null, 16, 16, 1]);
    small.autoencoder.dispose();
    const lecture = buildAutoEncoder({ inputShape: [256, 256, 1], channels: [16, 32, 64, 128, 256, 256], codeChannels: 256, seed: 0 });
    expect(lecture.encoder.outputs[0]!.shape).toEqual([null, 4, 4, 256]);
    lecture.autoencoder.dispose();
  });

  it('refuses sizes not divisible by 2^layers', () => {
    expect(() => buildAutoEncoder({ inputShape: [20, 20, 1], channels: [4, 8, 16], codeChannels: 2, seed: 0 })).toThrow(/divisible by 2\^3 = 8/);
  });

  it('is deterministic for a seed', () => {
    const a = buildAutoEncoder({ inputShape: [8, 8, 1], channels: [2], codeChannels: 2, seed: 5 });
    const b = buildAutoEncoder({ inputShape: [8, 8, 1], channels: [2], codeChannels: 2, seed: 5 });
    expect(Array.from(a.autoencoder.getWeights()[0]!.dataSync())).toEqual(Array.from(b.autoencoder.getWeights()[0]!.dataSync()));
    a.autoencoder.dispose();
    b.autoencoder.dispose();
  });
});

describe('autoencoder kernel', () => {
  it('trains (loss falls), outputs reconstructions and codes of the right shapes, and leaks nothing', async () => {
    const train = blobs(32, 1);
    const images = blobs(6, 2);
    const before = tf.memory().numTensors;
    const { ctx, previews, progress } = testContext();
    const out = await autoencoderKernel.run({ train, images }, params(), ctx);
    const losses = out.model.losses!;
    expect(losses).toHaveLength(6);
    expect(losses.at(-1)!).toBeLessThan(losses[0]! * 0.8);
    expect(out.recon.images.shape).toEqual([6, 16, 16, 1]);
    expect(out.codes.vectors.shape).toEqual([6, 4 * 4 * 4]);
    expect(out.trainCodes.vectors.shape).toEqual([32, 4 * 4 * 4]);
    expect(out.trainCodes.labels).toBe(train.labels);
    expect(previews).toHaveLength(6);
    expect(progress.at(-1)).toMatchObject({ fraction: 1, epoch: 6, epochs: 6 });
    const feats = out.encoder.extract(images.images);
    expect(feats[0]!.shape).toEqual([6, 4, 4, 4]);
    tf.dispose(feats);
    const preview = await autoencoderKernel.preview!(out, params());
    expect(preview.map((p) => p.kind)).toEqual(['loss', 'images']);
    disposeOutputs(out);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([train.images, images.images]);
  });

  it('stops with NAN_LOSS and a hint when the loss is not finite, leaking nothing', async () => {
    const train = blobs(8, 1, false, (v) => (v > 0.9 ? NaN : v));
    const before = tf.memory().numTensors;
    const err = await autoencoderKernel.run({ train, images: train }, params({ epochs: 2 }), testContext({ nodeId: 'ae' }).ctx).catch((e) => e);
    expect(err).toBeInstanceOf(KizukiError);
    expect(err.info).toMatchObject({ code: 'NAN_LOSS', nodeId: 'ae', hint: expect.stringMatching(/learning rate/) });
    expect(err.info.message).toMatch(/epoch 1/);
    expect(tf.memory().numTensors).toBe(before);
    train.images.dispose();
  });

  it('stops promptly when cancelled, leaking nothing', async () => {
    const train = blobs(16, 1);
    const before = tf.memory().numTensors;
    const controller = new AbortController();
    const { ctx } = testContext({ signal: controller.signal });
    const run = autoencoderKernel.run({ train, images: train }, params({ epochs: 1000, batchSize: 4 }), {
      ...ctx,
      progress: (p) => {
        if (p.fraction > 0.001) controller.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(tf.memory().numTensors).toBe(before);
    train.images.dispose();
  });

  it('rejects mismatched image shapes', async () => {
    const train = blobs(4, 1);
    const other = { ...blobs(2, 2), images: tf.zeros([2, 8, 8, 1]) as tf.Tensor4D };
    const err = await autoencoderKernel.run({ train, images: other }, params(), testContext().ctx).catch((e) => e);
    expect(err.info.code).toBe('SHAPE_MISMATCH');
    tf.dispose([train.images, other.images]);
  });

  it('has small defaults that train in seconds', () => {
    expect(autoencoderNode.params.parse({})).toMatchObject({ channels: [8, 16, 32], loss: 'mse', epochs: 8 });
  });
});
