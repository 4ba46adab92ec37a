/**
 * Image features: per image, scalar features of the residual D = mean_c |x − x̂| (mean; max of D blurred with a
 * Gaussian of σ pixels; mean of the top ⌈1 % · H·W⌉ pixels) and of the reconstruction x̂ or the image x, taken as
 * grey g = mean_c (mean, population std, sharpness = mean (∂x g)² + mean (∂y g)², forward differences), then
 * optionally log(v + 1e-8). The lecture's "AutoEncoder as preprocessing for a simple feature".
 * Shapes: images, recon [N,H,W,C] → features [N,F], F = number of picked features, in imageFeatureKinds order.
 */
import * as tf from '@tensorflow/tfjs';
import { KizukiError } from '../core/errors';
import { defineKernel, throwIfAborted } from '../core/kernel-types';
import { gaussianBlur } from '../residual-max/kernel';
import { imageFeatureKinds, imageFeaturesNode, type ImageFeatureKind } from './definition';

export const LOG_EPSILON = 1e-8;
const CHUNK = 64;

/** The picked features, deduplicated, in the fixed column order. */
export function orderedFeatures(picked: readonly ImageFeatureKind[]): ImageFeatureKind[] {
  return imageFeatureKinds.filter((k) => picked.includes(k));
}

const needsRecon = (k: ImageFeatureKind) => !k.startsWith('image-');

/** Mean, std and sharpness of the grey version of `t` ([n,H,W,C]): three [n] tensors. */
function greyStats(t: tf.Tensor4D): { mean: tf.Tensor1D; std: tf.Tensor1D; sharpness: tf.Tensor1D } {
  const [n, h, w] = t.shape;
  const g = tf.mean(t, 3, true) as tf.Tensor4D;
  const { mean, variance } = tf.moments(tf.reshape(g, [n, h * w]), 1);
  const energy = (d: tf.Tensor4D | null) => (d ? tf.mean(tf.reshape(tf.square(d), [n, -1]), 1) : tf.zeros([n]));
  const dx = w > 1 ? tf.sub(tf.slice(g, [0, 0, 1, 0], [-1, -1, w - 1, -1]), tf.slice(g, [0, 0, 0, 0], [-1, -1, w - 1, -1])) : null;
  const dy = h > 1 ? tf.sub(tf.slice(g, [0, 1, 0, 0], [-1, h - 1, -1, -1]), tf.slice(g, [0, 0, 0, 0], [-1, h - 1, -1, -1])) : null;
  return {
    mean: mean as tf.Tensor1D,
    std: tf.sqrt(variance) as tf.Tensor1D,
    sharpness: tf.add(energy(dx as tf.Tensor4D | null), energy(dy as tf.Tensor4D | null)) as tf.Tensor1D,
  };
}

/**
 * Raw (un-logged) features of a batch: [n,F] in the order of `kinds` (already ordered).
 * `recon` may be null when no residual-* / recon-* feature is asked for.
 */
export function computeFeatures(x: tf.Tensor4D, recon: tf.Tensor4D | null, kinds: readonly ImageFeatureKind[], blurSigma: number): tf.Tensor2D {
  return tf.tidy(() => {
    const [n, h, w] = x.shape;
    const cols: tf.Tensor1D[] = [];
    const residual = kinds.some((k) => k.startsWith('residual-')) && recon ? (tf.mean(tf.abs(tf.sub(x, recon)), 3, true) as tf.Tensor4D) : null;
    const reconStats = kinds.some((k) => k.startsWith('recon-')) && recon ? greyStats(recon) : null;
    const imageStats = kinds.some((k) => k.startsWith('image-')) ? greyStats(x) : null;
    const flat = (t: tf.Tensor4D) => tf.reshape(t, [n, h * w]) as tf.Tensor2D;
    for (const k of kinds) {
      if (k === 'residual-mean') cols.push(tf.mean(flat(residual!), 1) as tf.Tensor1D);
      else if (k === 'residual-max') cols.push(tf.max(flat(gaussianBlur(residual!, blurSigma)), 1) as tf.Tensor1D);
      else if (k === 'residual-top1') cols.push(tf.mean(tf.topk(flat(residual!), Math.ceil(0.01 * h * w)).values, 1) as tf.Tensor1D);
      else {
        const stats = k.startsWith('recon-') ? reconStats! : imageStats!;
        cols.push(k.endsWith('-mean') ? stats.mean : k.endsWith('-std') ? stats.std : stats.sharpness);
      }
    }
    return tf.stack(cols, 1) as tf.Tensor2D;
  });
}

export const imageFeaturesKernel = defineKernel(imageFeaturesNode, {
  async run({ images, recon }, params, ctx) {
    const kinds = orderedFeatures(params.features);
    const needing = kinds.filter(needsRecon);
    if (!recon && needing.length > 0) {
      throw new KizukiError('MISSING_INPUT', {
        nodeId: ctx.nodeId,
        port: 'recon',
        field: 'features',
        hint: `The features ${needing.join(', ')} need reconstructions: connect the AutoEncoder's recon (or a Reconstruct node) of the same images, or pick only image-* features.`,
      });
    }
    const x = images.images;
    const n = x.shape[0];
    if (recon && recon.images.shape.join() !== x.shape.join()) {
      throw new KizukiError('SHAPE_MISMATCH', {
        nodeId: ctx.nodeId,
        what: `images ${x.shape.join('×')} and reconstructions ${recon.images.shape.join('×')} differ in shape`,
        hint: 'Connect the reconstructions of exactly these images (same count and size).',
      });
    }
    if (recon && needing.length > 0 && recon.names.some((name, i) => name !== images.names[i])) {
      ctx.warn('The reconstructions name their images differently from the images input: check that they are reconstructions of these images.');
    }
    const parts: tf.Tensor2D[] = [];
    try {
      for (let start = 0; start < n; start += CHUNK) {
        throwIfAborted(ctx.signal);
        const size = Math.min(CHUNK, n - start);
        parts.push(
          tf.tidy(() => {
            const xs = tf.slice(x, [start, 0, 0, 0], [size, -1, -1, -1]);
            const rs = recon && needing.length > 0 ? tf.slice(recon.images, [start, 0, 0, 0], [size, -1, -1, -1]) : null;
            const raw = computeFeatures(xs, rs, kinds, params.blurSigma);
            return params.log ? (tf.log(tf.add(raw, LOG_EPSILON)) as tf.Tensor2D) : raw;
          }),
        );
        ctx.progress({ fraction: (start + size) / n });
        await new Promise((resolve) => setTimeout(resolve, 0));
      }
    } catch (err) {
      tf.dispose(parts);
      throw err;
    }
    const vectors = parts.length === 1 ? parts[0]! : (tf.concat(parts, 0) as tf.Tensor2D);
    if (parts.length > 1) tf.dispose(parts);
    const values = await vectors.data();
    const bad = values.filter((v) => !Number.isFinite(v)).length;
    if (bad > 0) {
      vectors.dispose();
      throw new KizukiError('KERNEL_FAILED', {
        nodeId: ctx.nodeId,
        reason: `${bad} feature values are NaN or infinite`,
        hint: 'Check the images and reconstructions upstream for NaN pixels (e.g. a diverged AutoEncoder).',
      });
    }
    return { features: { kind: 'Embeddings', vectors, labels: images.labels, names: images.names } };
  },
  async preview({ features }, params) {
    const kinds = orderedFeatures(params.features);
    const f = kinds.length;
    const data = await features.vectors.data();
    const groups = [
      [0, 'normal'],
      [1, 'anomalous'],
      [-1, 'unlabelled'],
    ] as const;
    const sums = groups.map(() => new Float64Array(f));
    const counts = groups.map(() => 0);
    features.labels.forEach((l, i) => {
      const g = l === 0 ? 0 : l === 1 ? 1 : 2;
      counts[g]!++;
      for (let j = 0; j < f; j++) sums[g]![j]! += data[i * f + j]!;
    });
    const present = groups.map((_, g) => g).filter((g) => counts[g]! > 0);
    const lines = [
      `Mean ${params.log ? 'log ' : ''}feature per class (${present.map((g) => `${groups[g]![1]} n = ${counts[g]}`).join(', ')}):`,
      ...kinds.map((k, j) => `${k}: ${present.map((g) => `${groups[g]![1]} ${(sums[g]![j]! / counts[g]!).toPrecision(4)}`).join(' · ')}`),
    ];
    if (kinds.some((k) => !k.startsWith('residual-'))) {
      lines.push('Note: mean/std/sharpness also reflect acquisition and compression, which can differ between sources of normal and abnormal images.');
    }
    return [{ kind: 'text', lines }];
  },
});
