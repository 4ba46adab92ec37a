import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { KizukiError } from '../core/errors';
import type { ImageSetValue, ModelValue } from '../core/kernel-types';
import { disposeOutputs } from '../../workers/engine/values';
import { testContext } from '../../tests/unit/helpers/context';
import { autoencoderNode } from '../autoencoder/definition';
import { autoencoderKernel } from '../autoencoder/kernel';
import { reconstructNode } from './definition';
import { reconstructKernel } from './kernel';

const set = (values: number[], shape: [number, number, number, number], masks = false): ImageSetValue => ({
  kind: 'ImageSet',
  images: tf.tensor4d(values, shape),
  labels: Int8Array.from({ length: shape[0] }, (_, i) => i % 2),
  names: Array.from({ length: shape[0] }, (_, i) => `img${i}`),
  masks: masks ? (tf.ones([shape[0], shape[1], shape[2], 1]) as tf.Tensor4D) : null,
  summary: { source: 'test', loaded: shape[0], skipped: [], perClass: {} },
});

/** x̂ = 0.5·x + 0.1 per pixel: a 1×1 conv with fixed weights (hand-computable). */
function affineModel(h: number, w: number): ModelValue {
  const model = tf.sequential({ layers: [tf.layers.conv2d({ inputShape: [h, w, 1], filters: 1, kernelSize: 1 })] });
  model.setWeights([tf.tensor4d([0.5], [1, 1, 1, 1]), tf.tensor1d([0.1])]);
  return { kind: 'Model', name: 'affine', model, inputShape: [h, w, 1] };
}

const params = (p: Record<string, unknown> = {}) => reconstructNode.params.parse(p);

describe('reconstruct kernel', () => {
  it('applies the model in batches: x̂ = 0.5x + 0.1 on three 2×2 images, labels/names/masks carried, no leak', async () => {
    const model = affineModel(2, 2);
    const x = [0, 0.2, 0.4, 0.6, 1, 1, 1, 1, 0.5, 0, 0, 0.5];
    const images = set(x, [3, 2, 2, 1], true);
    const before = tf.memory().numTensors;
    const out = await reconstructKernel.run({ model, images }, params({ batchSize: 2 }), testContext().ctx);
    expect(tf.memory().numTensors).toBe(before + 2); // recon + cloned masks
    expect(Array.from(out.recon.images.dataSync())).toEqual(x.map((v) => expect.closeTo(0.5 * v + 0.1, 6)));
    expect(out.recon.labels).toBe(images.labels);
    expect(out.recon.names).toBe(images.names);
    expect(out.recon.masks).not.toBe(images.masks);
    expect(out.recon.summary.source).toBe('reconstructions of test');
    const preview = await reconstructKernel.preview!(out, params());
    // mean |x − x̂| = mean |0.5x − 0.1|: image 0 → (0.1 + 0 + 0.1 + 0.2)/4 = 0.1.
    expect(preview[0]).toMatchObject({ kind: 'images', total: 3 });
    expect((preview[0] as { images: { caption?: string }[] }).images[0]!.caption).toBe('0.1000');
    disposeOutputs(out);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([images.images, images.masks!]);
    model.model.dispose();
  });

  it('gives the same reconstructions as the AutoEncoder node for the same images', async () => {
    const images = set(Array.from({ length: 4 * 64 }, (_, i) => (i % 7) / 7), [4, 8, 8, 1]);
    const ae = await autoencoderKernel.run(
      { train: images, images },
      autoencoderNode.params.parse({ channels: [2], codeChannels: 2, epochs: 1, batchSize: 4 }),
      testContext().ctx,
    );
    const out = await reconstructKernel.run({ model: ae.model, images }, params({ batchSize: 3 }), testContext().ctx);
    const a = ae.recon.images.dataSync();
    const b = out.recon.images.dataSync();
    expect(Array.from(b)).toEqual(Array.from(a).map((v) => expect.closeTo(v, 5)));
    disposeOutputs(out);
    disposeOutputs(ae);
    images.images.dispose();
  });

  it('refuses images of another size than the model input, saying both shapes', async () => {
    const model = affineModel(2, 2);
    const images = set(new Array(9).fill(0), [1, 3, 3, 1]);
    const before = tf.memory().numTensors;
    const err = await reconstructKernel.run({ model, images }, params(), testContext({ nodeId: 'rec' }).ctx).catch((e) => e);
    expect(err).toBeInstanceOf(KizukiError);
    expect(err.info).toMatchObject({ code: 'SHAPE_MISMATCH', nodeId: 'rec' });
    expect(err.info.message).toMatch(/takes 2×2×1 images but the connected images are 3×3×1/);
    expect(err.info.hint).toMatch(/size/);
    expect(tf.memory().numTensors).toBe(before);
    images.images.dispose();
    model.model.dispose();
  });

  it('refuses a model that does not output images', async () => {
    const net = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [2, 2, 1] }), tf.layers.dense({ units: 3 })] });
    const model: ModelValue = { kind: 'Model', name: 'svdd', model: net, inputShape: [2, 2, 1] };
    const images = set([0, 0, 0, 0], [1, 2, 2, 1]);
    const err = await reconstructKernel.run({ model, images }, params(), testContext().ctx).catch((e) => e);
    expect(err.info.code).toBe('SHAPE_MISMATCH');
    expect(err.info.message).toMatch(/outputs \[N, 3\], not images/);
    images.images.dispose();
    net.dispose();
  });

  it('has a batch-size default of 32', () => {
    expect(reconstructNode.params.parse({})).toEqual({ batchSize: 32 });
    expect(reconstructNode.params.safeParse({ batchSize: 0 }).success).toBe(false);
  });
});
