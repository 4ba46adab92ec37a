import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { disposeOutputs } from '../../workers/engine/values';
import { testContext } from '../../tests/unit/helpers/context';
import { KizukiError } from '../core/errors';
import { streamOf } from '../core/image-stream';
import type { FeatureExtractorValue, ImageSetValue } from '../core/kernel-types';
import { createRng } from '../core/random';
import { padimNode } from './definition';
import { choleskyInPlace, emptyFit, invertLowerPacked, invertPatches, mahalanobis, PatchGaussianAccumulator } from './gaussian';
import { padimKernel } from './kernel';

const params = (p: Partial<ReturnType<typeof padimNode.params.parse>> = {}) => padimNode.params.parse({ sigma: 0, ...p });

function imageSet(images: tf.Tensor4D, labels: number[], masks: tf.Tensor4D | null = null): ImageSetValue {
  return {
    kind: 'ImageSet',
    images,
    labels: Int8Array.from(labels),
    names: labels.map((_, i) => `img${i}`),
    masks,
    summary: { source: 'test', loaded: labels.length, skipped: [], perClass: {} },
  };
}

/**
 * A toy extractor on [16,16,1] images: tap 1 = 2×2 average pool of x and x² ([8,8,2]); tap 2 = 4×4 average pool
 * of x ([4,4,1], upsampled by PaDiM to 8×8). Owns no weights.
 */
const toyExtractor: FeatureExtractorValue = {
  kind: 'FeatureExtractor',
  name: 'toy',
  inputShape: [16, 16, 1],
  extract: (x) =>
    tf.tidy(() => [
      tf.concat([tf.avgPool(x, 2, 2, 'valid'), tf.avgPool(tf.square(x), 2, 2, 'valid')], 3) as tf.Tensor4D,
      tf.avgPool(x, 4, 4, 'valid') as tf.Tensor4D,
    ]),
  dispose: () => {},
};

/** n smooth-ish normal images: 0.5 + small seeded noise. */
function normals(n: number, seed: number, size = 16): tf.Tensor4D {
  const rng = createRng(seed);
  return tf.tensor4d(Float32Array.from({ length: n * size * size }, () => 0.5 + 0.05 * rng.normal()), [n, size, size, 1]);
}

describe('streaming per-patch Gaussian (gaussian.ts)', () => {
  it.each([5, 6])('matches a two-pass mean and covariance on random data within 1e-5 relative, in uneven batches (d = %i)', (d) => {
    const rng = createRng(7);
    const P = 3;
    const n = 53;
    // Large offset (1000) and small spread: the raw Σxxᵀ − nμμᵀ formula would lose most digits here.
    const data = Float32Array.from({ length: n * P * d }, (_, k) => 1000 + (k % d) + 0.1 * rng.normal());
    const acc = new PatchGaussianAccumulator(P, d, 16);
    for (const [start, size] of [
      [0, 16],
      [16, 1],
      [17, 16],
      [33, 7],
      [40, 13],
    ] as const) {
      acc.add(data.subarray(start * P * d, (start + size) * P * d), size);
    }
    expect(acc.n).toBe(n);
    for (let p = 0; p < P; p++) {
      const mu = new Float64Array(d);
      for (let i = 0; i < n; i++) for (let c = 0; c < d; c++) mu[c]! += data[(i * P + p) * d + c]! / n;
      const cov = new Float64Array(d * d);
      for (let i = 0; i < n; i++)
        for (let a = 0; a < d; a++)
          for (let b = 0; b < d; b++) cov[a * d + b]! += ((data[(i * P + p) * d + a]! - mu[a]!) * (data[(i * P + p) * d + b]! - mu[b]!)) / (n - 1);
      const gotMu = acc.mean(p);
      const gotCov = acc.covariance(p);
      for (let c = 0; c < d; c++) expect(Math.abs(gotMu[c]! - mu[c]!) / Math.abs(mu[c]!)).toBeLessThan(1e-5);
      const scale = Math.max(...Array.from(cov, Math.abs));
      for (let k = 0; k < d * d; k++) expect(Math.abs(gotCov[k]! - cov[k]!)).toBeLessThan(1e-5 * Math.max(Math.abs(cov[k]!), scale));
    }
  });

  it('Mahalanobis equals the direct inverse on a hand-made 2×2 case', () => {
    // Σ = [[2,1],[1,2]], μ = (1,0), x = (2,1): Σ⁻¹ = ⅓[[2,−1],[−1,2]], (x−μ)ᵀΣ⁻¹(x−μ) = ⅓(2−1−1+2) = ⅔.
    const fit = emptyFit(1, 2, 0);
    fit.mean.set([1, 0]);
    const sigma = new Float64Array([2, 1, 1, 2]);
    expect(choleskyInPlace(sigma, 2)).toBe(true);
    invertLowerPacked(sigma, 2, fit.factor, 0);
    expect(mahalanobis(fit, [2, 1], 1)[0]).toBeCloseTo(Math.sqrt(2 / 3), 6);
    // From data: the accumulator + invertPatches against the closed-form 2×2 inverse of (Σ + εI).
    const rng = createRng(3);
    const xs = Float32Array.from({ length: 40 * 2 }, (_, k) => (k % 2 === 0 ? 1 : 0.5) * rng.normal() + (k % 2));
    const acc = new PatchGaussianAccumulator(1, 2, 40);
    acc.add(xs, 40);
    const eps = 0.01;
    const fitted = emptyFit(1, 2, eps);
    invertPatches(acc, eps, fitted, 0, 1);
    const [a, b, , c] = acc.covariance(0);
    const [m0, m1] = acc.mean(0);
    const det = (a! + eps) * (c! + eps) - b! * b!;
    const x = [0.3, 2.5];
    const u = x[0]! - m0!;
    const v = x[1]! - m1!;
    const direct = ((c! + eps) * u * u - 2 * b! * u * v + (a! + eps) * v * v) / det;
    expect(mahalanobis(fitted, x, 1)[0]).toBeCloseTo(Math.sqrt(direct), 5);
  });

  it('ε·I makes a singular covariance invertible, and ε is raised where rounding still breaks Cholesky', () => {
    // All samples equal: Σ = 0, singular; Σ + 0.01·I is invertible and the distance is ‖x−μ‖/√0.01.
    const acc = new PatchGaussianAccumulator(1, 3, 4);
    acc.add(new Float32Array([1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3]), 4);
    expect(choleskyInPlace(acc.covariance(0), 3)).toBe(false);
    const fit = emptyFit(1, 3, 0.01);
    invertPatches(acc, 0.01, fit, 0, 1);
    expect(fit.raised).toBe(0);
    expect(mahalanobis(fit, [1, 2, 4], 1)[0]).toBeCloseTo(1 / Math.sqrt(0.01), 4);
    // Points on a line with a huge variance: Σ = v·[[1,1],[1,1]] is rank 1 and ε = 1e-12 is lost in rounding.
    const line = new PatchGaussianAccumulator(1, 2, 3);
    line.add(new Float32Array([0, 0, 1e6, 1e6, 3e6, 3e6]), 3);
    const tiny = emptyFit(1, 2, 1e-12);
    invertPatches(line, 1e-12, tiny, 0, 1);
    expect(tiny.raised).toBe(1);
    expect(tiny.maxEpsilon).toBeGreaterThan(1e-12);
    expect(Number.isFinite(mahalanobis(tiny, [1, 2], 1)[0]!)).toBe(true);
  });
});

describe('padim kernel', () => {
  it('puts the maximum of the heatmap near a planted bright blob; no tensors leak', async () => {
    const train = imageSet(normals(24, 1), Array(24).fill(0));
    // Test: 2 normals + 1 image with a bright 3×3 blob centred at (row 11, col 4).
    const test = normals(3, 2);
    const blob = tf.buffer([3, 16, 16, 1], 'float32', test.dataSync().slice() as Float32Array);
    for (let r = 10; r <= 12; r++) for (let c = 3; c <= 5; c++) blob.set(1, 2, r, c, 0);
    const images = imageSet(blob.toTensor() as tf.Tensor4D, [0, 0, 1], tf.zeros([3, 16, 16, 1]) as tf.Tensor4D);
    test.dispose();
    const before = tf.memory().numTensors;
    const { ctx, progress } = testContext();
    const out = await padimKernel.run({ extractor: toyExtractor, train: streamOf(train), images }, params({ d: 3, sigma: 1, batchSize: 5 }), ctx);
    expect(out.heatmaps.maps.shape).toEqual([3, 16, 16, 1]);
    expect(out.heatmaps.masks?.shape).toEqual([3, 16, 16, 1]);
    expect(out.heatmaps.scorer).toBe('padim');
    const s = out.scores.scores;
    expect(s[2]!).toBeGreaterThan(3 * Math.max(s[0]!, s[1]!));
    const map = out.heatmaps.maps.dataSync().subarray(2 * 256, 3 * 256);
    const argmax = map.indexOf(Math.max(...map));
    const [row, col] = [Math.floor(argmax / 16), argmax % 16];
    expect(Math.hypot(row - 11, col - 4)).toBeLessThanOrEqual(2.5);
    // Image score = max of the map.
    expect(s[2]).toBeCloseTo(Math.max(...map), 5);
    expect(progress.at(-1)?.fraction).toBeCloseTo(1, 6);
    expect(progress.some((p) => /fitting/.test(p.message ?? ''))).toBe(true);
    const preview = await padimKernel.preview!(out, params());
    expect(preview.map((p) => p.kind)).toEqual(['histogram', 'images']);
    const thumbs = preview[1]!.kind === 'images' ? preview[1]!.images : [];
    expect(thumbs).toHaveLength(3);
    expect(thumbs[0]!.rgba).toHaveLength(16 * 16 * 4);
    expect(tf.memory().numTensors).toBe(before + 2); // the maps and the masks' clone, nothing else
    disposeOutputs(out);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([train.images, images.images, images.masks!]);
  });

  it('caps d at the channels available (with a warning), and warns when there are fewer images than channels', async () => {
    const train = imageSet(normals(3, 4), [0, 0, 0]);
    const images = imageSet(normals(2, 5), [0, 1]);
    const { ctx, warnings } = testContext();
    const out = await padimKernel.run({ extractor: toyExtractor, train: streamOf(train), images }, params({ d: 100 }), ctx);
    expect(warnings.join('\n')).toMatch(/only 3 channels/);
    expect(warnings.join('\n')).toMatch(/only 3 training images/);
    expect(Array.from(out.scores.scores).every(Number.isFinite)).toBe(true);
    expect(out.heatmaps.masks).toBeNull();
    disposeOutputs(out);
    tf.dispose([train.images, images.images]);
  });

  it('is deterministic for a seed and resizes images to the extractor input', async () => {
    const train = imageSet(normals(12, 6, 32), Array(12).fill(0));
    const images = imageSet(normals(2, 7, 32), [0, 1]);
    const run = () => padimKernel.run({ extractor: toyExtractor, train: streamOf(train), images }, params({ d: 2, seed: 9 }), testContext().ctx);
    const a = await run();
    const b = await run();
    expect(a.heatmaps.maps.shape).toEqual([2, 32, 32, 1]); // heatmaps at the images' own size
    expect(Array.from(a.scores.scores)).toEqual(Array.from(b.scores.scores));
    disposeOutputs(a);
    disposeOutputs(b);
    tf.dispose([train.images, images.images]);
  });

  it('fails clearly on bad inputs and stops when aborted, without leaking', async () => {
    const train = imageSet(normals(4, 8), [0, 0, 0, 0]);
    const twoChannel = imageSet(tf.zeros([2, 16, 16, 2]) as tf.Tensor4D, [0, 1]);
    const rgbOnly: FeatureExtractorValue = { ...toyExtractor, inputShape: [16, 16, 3] };
    const empty = imageSet(tf.zeros([0, 16, 16, 1]) as tf.Tensor4D, []);
    const flat: FeatureExtractorValue = { ...toyExtractor, extract: (x) => [tf.mean(x, [1, 2]) as unknown as tf.Tensor4D] };
    const images = imageSet(normals(2, 9), [0, 1]);
    const before = tf.memory().numTensors;
    const code = async (p: Promise<unknown>) =>
      p.then(
        () => 'no error',
        (e: unknown) => (e instanceof KizukiError ? e.info.code : (e as Error).name),
      );
    const { ctx } = testContext({ nodeId: 'padim' });
    expect(await code(padimKernel.run({ extractor: rgbOnly, train: streamOf(twoChannel), images }, params(), ctx))).toBe('SHAPE_MISMATCH');
    expect(await code(padimKernel.run({ extractor: toyExtractor, train: streamOf(empty), images }, params(), ctx))).toBe('NO_IMAGES');
    expect(await code(padimKernel.run({ extractor: flat, train: streamOf(train), images }, params(), ctx))).toBe('KERNEL_FAILED');
    const controller = new AbortController();
    controller.abort();
    expect(await code(padimKernel.run({ extractor: toyExtractor, train: streamOf(train), images }, params(), testContext({ signal: controller.signal }).ctx))).toBe('AbortError');
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([train.images, twoChannel.images, empty.images, images.images]);
  });

  it('has documented defaults', () => {
    expect(padimNode.params.parse({})).toEqual({ d: 100, epsilon: 0.01, sigma: 4, batchSize: 16, seed: 0 });
    expect(padimNode.params.safeParse({ d: 0 }).success).toBe(false);
    expect(padimNode.params.safeParse({ epsilon: 0 }).success).toBe(false);
  });
});
