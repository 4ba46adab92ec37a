/**
 * Residual scorer: difference images D = mean_c |x − x̂| ([N,H,W,1]), optionally Gaussian-blurred (σ pixels,
 * reflect padding), reduced per image to max (the lecture's residual max), mean, or mean of the top-k pixels.
 * Inputs: images and reconstructions [N,H,W,C] in 0..1 with the same shape. Output: Scores + Heatmaps.
 */
import * as tf from '@tensorflow/tfjs';
import { KizukiError } from '../core/errors';
import { defineKernel } from '../core/kernel-types';
import { scoreHistogram } from '../core/score-stats';
import { mixedIndices, thumbnails } from '../core/tensor-preview';
import { residualMaxNode } from './definition';

/** Normalised 1-D Gaussian taps for σ (radius ⌈3σ⌉). */
export function gaussianTaps(sigma: number): number[] {
  const radius = Math.max(1, Math.ceil(3 * sigma));
  const taps = Array.from({ length: 2 * radius + 1 }, (_, i) => Math.exp(-((i - radius) ** 2) / (2 * sigma * sigma)));
  const sum = taps.reduce((a, b) => a + b, 0);
  return taps.map((t) => t / sum);
}

/** Separable Gaussian blur of [N,H,W,1] maps with reflect padding (borders are not darkened). */
export function gaussianBlur(maps: tf.Tensor4D, sigma: number): tf.Tensor4D {
  if (sigma <= 0) return maps.clone();
  return tf.tidy(() => {
    const taps = gaussianTaps(sigma);
    const r = (taps.length - 1) / 2;
    const [, h, w] = maps.shape;
    // mirrorPad 'reflect' needs pad < dimension; clamp for tiny images.
    const ry = Math.min(r, h - 1);
    const rx = Math.min(r, w - 1);
    const ky = tf.tensor4d(taps.slice(r - ry, r + ry + 1), [2 * ry + 1, 1, 1, 1]);
    const kx = tf.tensor4d(taps.slice(r - rx, r + rx + 1), [1, 2 * rx + 1, 1, 1]);
    const sy = tf.sum(ky);
    const sx = tf.sum(kx);
    let x = tf.mirrorPad(maps, [[0, 0], [ry, ry], [rx, rx], [0, 0]], 'reflect');
    x = tf.conv2d(x, tf.div(ky, sy) as tf.Tensor4D, 1, 'valid');
    x = tf.conv2d(x, tf.div(kx, sx) as tf.Tensor4D, 1, 'valid');
    return x;
  });
}

export function reduceMaps(maps: tf.Tensor4D, reduce: 'max' | 'mean' | 'topk', topK: number): tf.Tensor1D {
  return tf.tidy(() => {
    const [n, h, w] = maps.shape;
    const flat = tf.reshape(maps, [n, h * w]) as tf.Tensor2D;
    if (reduce === 'max') return tf.max(flat, 1) as tf.Tensor1D;
    if (reduce === 'mean') return tf.mean(flat, 1) as tf.Tensor1D;
    return tf.mean(tf.topk(flat, Math.min(topK, h * w)).values, 1) as tf.Tensor1D;
  });
}

export const residualMaxKernel = defineKernel(residualMaxNode, {
  async run({ images, recon }, params, ctx) {
    if (images.images.shape.join() !== recon.images.shape.join()) {
      throw new KizukiError('SHAPE_MISMATCH', {
        nodeId: ctx.nodeId,
        what: `images ${images.images.shape.join('×')} and reconstructions ${recon.images.shape.join('×')} differ in shape`,
      });
    }
    const maps = tf.tidy(() => {
      const diff = tf.mean(tf.abs(tf.sub(images.images, recon.images)), 3, true) as tf.Tensor4D;
      return gaussianBlur(diff, params.blurSigma);
    });
    const scoresT = reduceMaps(maps, params.reduce, params.topK);
    const scores = (await scoresT.data()) as Float32Array;
    scoresT.dispose();
    const bad = scores.filter((s) => !Number.isFinite(s)).length;
    if (bad > 0) {
      maps.dispose();
      throw new KizukiError('NON_FINITE_SCORES', { nodeId: ctx.nodeId, count: bad });
    }
    const scorer = params.reduce === 'topk' ? `residual top-${params.topK} mean` : `residual ${params.reduce}`;
    return {
      scores: { kind: 'Scores', scorer, scores: Float32Array.from(scores), labels: images.labels, names: images.names },
      residuals: {
        kind: 'Heatmaps',
        maps,
        labels: images.labels,
        names: images.names,
        masks: images.masks ? images.masks.clone() : null,
      },
    };
  },
  async preview({ scores, residuals }) {
    const indices = mixedIndices(residuals.labels, 6);
    return [
      scoreHistogram(scores.scores, scores.labels, scores.scorer),
      {
        kind: 'images',
        title: 'Difference |x − x̂|',
        total: residuals.labels.length,
        images: await thumbnails(residuals.maps, residuals.labels, residuals.names, {
          indices,
          normalise: true,
          colormap: 'heat',
          captions: indices.map((i) => scores.scores[i]!.toFixed(3)),
        }),
      },
    ];
  },
});
