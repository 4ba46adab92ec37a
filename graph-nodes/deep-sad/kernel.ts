/**
 * Deep SAD (Ruff et al., "Deep Semi-Supervised Anomaly Detection", ICLR 2020): Deep SVDD's bias-free net φ and
 * centre c (../deep-svdd/model.ts), trained on (1/(n+m))·[Σ_unlabelled ||φ(x) − c||² + η·Σ_labelled (||φ(x̃) − c||² + ε)^ỹ],
 * ỹ = +1 for known normals (train label 0), −1 for the labelled anomalies. The anomalies are few, so every batch
 * holds `labelledPerBatch` of them, drawn in turn and repeated (oversampling; the paper samples uniformly).
 * Shapes: train [N,H,W,C], anomalies [K,H,W,C], images [M,H,W,C] → scores [M] = ||φ(x) − c||², embeddings [M,repDim].
 */
import * as tf from '@tensorflow/tfjs';
import { defineKernel } from '../core/kernel-types';
import { createRng, type Rng, shuffledIndices } from '../core/random';
import { type Batch, chunk, deepSadLoss, fitAndScore, radiusFromDistances, spherePreview, sphereSummaries } from '../deep-svdd/model';
import { deepSadNode } from './definition';

/**
 * Batches of one epoch per call: the training images in a fresh shuffled order, `unlabelledPerBatch` at a time,
 * each batch joined by `perBatch` labelled anomalies taken in turn from a reshuffled cycle (oversampling).
 */
export function batchPlanner(n: number, m: number, unlabelledPerBatch: number, perBatch: number, rng: Rng) {
  let cycle: number[] = [];
  const nextAnomalies = (): number[] => {
    const out: number[] = [];
    while (out.length < perBatch) {
      if (cycle.length === 0) cycle = shuffledIndices(m, rng);
      out.push(cycle.pop()!);
    }
    return out;
  };
  return (): { train: number[]; anomalies: number[] }[] =>
    chunk(shuffledIndices(n, rng), unlabelledPerBatch).map((train) => ({ train, anomalies: nextAnomalies() }));
}

export const deepSadKernel = defineKernel(deepSadNode, {
  async run({ train, anomalies, images, pretrained }, params, ctx) {
    const n = train.images.shape[0];
    const m = anomalies.images.shape[0];
    const perBatch = Math.min(params.labelledPerBatch, m, Math.max(1, params.batchSize - 1));
    const unlabelledPerBatch = Math.max(1, Math.min(n, params.batchSize - perBatch));
    // ỹ of the training images: label 0 = known normal (+1), anything else = unlabelled (0).
    const trainTargets = Array.from(train.labels, (l) => (l === 0 ? 1 : 0));
    const polluted = Array.from(train.labels).filter((l) => l === 1).length;
    if (polluted > 0) ctx.warn(`${polluted} training images are labelled anomalous; they are treated as unlabelled. Connect them to "Labelled anomalies" instead.`);
    const mislabelled = Array.from(anomalies.labels).filter((l) => l === 0).length;
    if (mislabelled > 0) ctx.warn(`${mislabelled} of the labelled anomalies are labelled normal; they are used as anomalies anyway.`);
    const rng = createRng(params.seed + 1);
    const nextEpoch = batchPlanner(n, m, unlabelledPerBatch, perBatch, rng);
    return fitAndScore({
      ctx,
      params,
      train,
      images,
      pretrained,
      others: [{ what: 'labelled anomalies', set: anomalies }],
      objective: `Deep SAD (η = ${params.eta}, ${m} labelled anomalies, ${perBatch} per batch)`,
      scorer: 'Deep SAD',
      epochBatches: () =>
        nextEpoch().map(({ train: idx, anomalies: anom }): Batch => {
          return {
            indices: [...idx, ...anom.map((a) => n + a)],
            targets: [...idx.map((i) => trainTargets[i]!), ...anom.map(() => -1)],
            x: () => tf.concat([tf.gather(train.images, idx), tf.gather(anomalies.images, anom)], 0) as tf.Tensor4D,
          };
        }),
      loss: (dist2, batch) => deepSadLoss(dist2, batch.targets!, params.eta),
      finalRadius: (trainD2) => ({
        radius: radiusFromDistances(trainD2, params.nu),
        meaning: `(1−ν)-quantile of training distances, ν = ${params.nu}`,
        checked: false,
      }),
    });
  },
  preview({ scores }) {
    return spherePreview(scores, sphereSummaries.get(scores));
  },
});
