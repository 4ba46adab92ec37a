/**
 * Deep SVDD (Ruff et al., "Deep One-Class Classification", ICML 2018): a bias-free conv net φ (model.ts) trained
 * with Adam on normal images to pull φ(x) towards the fixed centre c, one-class (mean ||φ(x) − c||²) or
 * soft-boundary (R² + (1/ν)·mean(max(0, ||φ(x) − c||² − R²)), R ← (1−ν)-quantile of the batch distances after the
 * warm-up epochs). Shapes: train [N,H,W,C], images [M,H,W,C] → scores [M] = ||φ(x) − c||² (squared distance, for
 * both objectives), embeddings [M,repDim]. A collapsed sphere (all φ ≈ c, or R → 0) fails with COLLAPSED.
 */
import * as tf from '@tensorflow/tfjs';
import { defineKernel } from '../core/kernel-types';
import { createRng, shuffledIndices } from '../core/random';
import { deepSvddNode } from './definition';
import { chunk, fitAndScore, oneClassLoss, radiusFromDistances, softBoundaryLoss, spherePreview, sphereSummaries } from './model';

export const deepSvddKernel = defineKernel(deepSvddNode, {
  async run({ train, images, pretrained }, params, ctx) {
    const soft = params.objective === 'soft-boundary';
    const n = train.images.shape[0];
    const batchSize = Math.min(params.batchSize, n);
    const rng = createRng(params.seed + 1);
    let radius = 0;
    return fitAndScore({
      ctx,
      params,
      train,
      images,
      pretrained,
      objective: soft ? `soft-boundary (ν = ${params.nu})` : 'one-class',
      scorer: soft ? 'Deep SVDD (soft-boundary)' : 'Deep SVDD',
      epochBatches: () =>
        chunk(shuffledIndices(n, rng), batchSize).map((indices) => ({
          indices,
          x: () => tf.gather(train.images, indices) as tf.Tensor4D,
        })),
      loss: (dist2) => (soft ? softBoundaryLoss(dist2, radius, params.nu) : oneClassLoss(dist2)),
      // As in the paper, R is re-estimated from each batch once the warm-up epochs are over.
      ...(soft
        ? {
            afterBatch: (d2: Float32Array, epoch: number) => {
              if (epoch > params.warmUpEpochs) radius = radiusFromDistances(d2, params.nu);
            },
          }
        : {}),
      // The final R is the (1−ν)-quantile over all training images (stable, unlike the last batch's).
      finalRadius: (trainD2) => ({
        radius: radiusFromDistances(trainD2, params.nu),
        meaning: soft ? 'radius R' : `(1−ν)-quantile of training distances, ν = ${params.nu}`,
        checked: soft,
      }),
    });
  },
  preview({ scores }) {
    return spherePreview(scores, sphereSummaries.get(scores));
  },
});
