import { z } from 'zod';
import { defineNode } from '../core/define-node';

export const padimNode = defineNode({
  type: 'padim',
  version: 1,
  category: 'score',
  title: 'PaDiM',
  description:
    'Patch Distribution Modeling: fits one Gaussian (mean and covariance of d randomly chosen feature channels) ' +
    'per patch position from the feature maps of normal training images, then scores each patch of a test image ' +
    'by its Mahalanobis distance to that Gaussian. Gives a heatmap per image (upsampled and blurred) and an image ' +
    'score = its maximum. Nothing is trained: use a pretrained CNN, or an AutoEncoder\'s encoder, as the extractor.',
  reference: 'Defard et al., "PaDiM: a Patch Distribution Modeling Framework for Anomaly Detection and Localization", ICPR 2021',
  inputs: {
    extractor: { type: 'FeatureExtractor', label: 'Feature extractor' },
    // Streamed: the fit reads the training images a batch at a time, so memory does not grow with their number.
    train: { type: 'ImageSet', label: 'Train (normal)', streamed: true },
    images: { type: 'ImageSet', label: 'Images to score' },
  },
  outputs: {
    scores: { type: 'Scores', label: 'Scores' },
    heatmaps: { type: 'Heatmaps', label: 'Heatmaps' },
  },
  params: z.object({
    d: z
      .number()
      .int()
      .min(1)
      .max(256)
      .default(100)
      .describe('Feature channels kept (chosen at random, seeded) after stacking all taps; capped at the channels available'),
    epsilon: z.number().positive().max(10).default(0.01).describe('ε added to the diagonal of every covariance (ε·I) so it can be inverted'),
    sigma: z.number().min(0).max(32).default(4).describe('Gaussian blur (pixels, at the image size) of the upsampled distance map; 0 = none'),
    batchSize: z.number().int().min(1).max(256).default(16).describe('Images per feature-extraction batch (memory vs speed)'),
    seed: z.number().int().min(0).max(2 ** 31 - 1).default(0).describe('Seed for the random channel selection'),
  }),
  cache: 'seeded',
});
