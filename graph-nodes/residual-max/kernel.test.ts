import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { KizukiError } from '../core/errors';
import type { ImageSetValue } from '../core/kernel-types';
import { disposeOutputs } from '../../workers/engine/values';
import { testContext } from '../../tests/unit/helpers/context';
import { residualMaxNode } from './definition';
import { gaussianBlur, gaussianTaps, residualMaxKernel } from './kernel';

const set = (values: number[][], shape: [number, number, number, number]): ImageSetValue => ({
  kind: 'ImageSet',
  images: tf.tensor4d(values.flat(), shape),
  labels: Int8Array.from(values.map((_, i) => i % 2)),
  names: values.map((_, i) => `img${i}`),
  masks: null,
  summary: { source: 'test', loaded: values.length, skipped: [], perClass: {} },
});

const params = (p: Partial<{ reduce: 'max' | 'mean' | 'topk'; topK: number; blurSigma: number }> = {}) =>
  residualMaxNode.params.parse(p);

describe('residual kernel', () => {
  // Two 2×2 images; x̂ = 0, so |x − x̂| = x. Hand-computed: max = [0.9, 0.4], mean = [0.35, 0.25], top-2 = [0.65, 0.35].
  const x = [
    [0.1, 0.9, 0.0, 0.4],
    [0.2, 0.3, 0.4, 0.1],
  ];
  const zero = [
    [0, 0, 0, 0],
    [0, 0, 0, 0],
  ];

  it.each([
    ['max', [0.9, 0.4]],
    ['mean', [0.35, 0.25]],
    ['topk', [0.65, 0.35]],
  ] as const)('reduce = %s on two 2×2 images', async (reduce, expected) => {
    const images = set(x, [2, 2, 2, 1]);
    const recon = set(zero, [2, 2, 2, 1]);
    const before = tf.memory().numTensors;
    const { ctx } = testContext();
    const out = await residualMaxKernel.run({ images, recon }, params({ reduce, topK: 2 }), ctx);
    expect(Array.from(out.scores.scores)).toEqual(expected.map((v) => expect.closeTo(v, 6)));
    expect(out.residuals.maps.shape).toEqual([2, 2, 2, 1]);
    // The kernel created exactly one tensor (the difference maps); previews create none that last.
    expect(tf.memory().numTensors).toBe(before + 1);
    await residualMaxKernel.preview!(out, params());
    disposeOutputs(out);
    expect(tf.memory().numTensors).toBe(before);
    images.images.dispose();
    recon.images.dispose();
  });

  it('averages channels: |x − x̂| of an RGB pixel is the mean over R,G,B', async () => {
    const images = set([[0.3, 0.6, 0.9]], [1, 1, 1, 3]);
    const recon = set([[0, 0, 0]], [1, 1, 1, 3]);
    const out = await residualMaxKernel.run({ images, recon }, params(), testContext().ctx);
    expect(out.scores.scores[0]).toBeCloseTo(0.6, 6);
    disposeOutputs(out);
    tf.dispose([images.images, recon.images]);
  });

  it('Gaussian taps sum to 1 and blur keeps a constant map constant (reflect padding)', () => {
    const taps = gaussianTaps(1.5);
    expect(taps.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(taps).toHaveLength(11);
    const before = tf.memory().numTensors;
    const c = tf.fill([1, 8, 8, 1], 0.7) as tf.Tensor4D;
    const b = gaussianBlur(c, 2);
    expect(Math.max(...Array.from(b.dataSync()).map((v) => Math.abs(v - 0.7)))).toBeLessThan(1e-6);
    tf.dispose([c, b]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('blur lowers an isolated spike and keeps the total mass', () => {
    const spike = tf.tensor4d(Array.from({ length: 81 }, (_, i) => (i === 40 ? 1 : 0)), [1, 9, 9, 1]);
    const b = gaussianBlur(spike, 1);
    const v = b.dataSync();
    expect(v[40]!).toBeLessThan(0.2);
    expect(Array.from(v).reduce((a, c) => a + c, 0)).toBeCloseTo(1, 5);
    tf.dispose([spike, b]);
  });

  it('rejects images and reconstructions of different shapes', async () => {
    const images = set([[0, 0, 0, 0]], [1, 2, 2, 1]);
    const recon = set([[0, 0, 0, 0]], [1, 1, 4, 1]);
    await expect(residualMaxKernel.run({ images, recon }, params(), testContext().ctx)).rejects.toSatisfy(
      (e) => e instanceof KizukiError && e.info.code === 'SHAPE_MISMATCH',
    );
    tf.dispose([images.images, recon.images]);
  });

  it('has documented defaults', () => {
    expect(residualMaxNode.params.parse({})).toEqual({ reduce: 'max', topK: 16, blurSigma: 0 });
    expect(residualMaxNode.params.safeParse({ blurSigma: -1 }).success).toBe(false);
  });
});
