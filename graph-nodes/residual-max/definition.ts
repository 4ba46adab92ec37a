import { z } from 'zod';
import { defineNode } from '../core/define-node';

export const residualMaxNode = defineNode({
  type: 'residual-max',
  version: 1,
  category: 'score',
  title: 'Residual',
  description:
    'Difference image |x − x̂| between each image and its reconstruction, reduced to one score per image: ' +
    'the maximum (the lecture\'s residual max), the mean, or the mean of the top-k pixels. Optional Gaussian ' +
    'blur before reducing suppresses single-pixel noise. Higher = more anomalous.',
  inputs: {
    images: { type: 'ImageSet', label: 'Images' },
    recon: { type: 'ImageSet', label: 'Reconstructions' },
  },
  outputs: {
    scores: { type: 'Scores', label: 'Scores' },
    residuals: { type: 'Heatmaps', label: 'Difference images' },
  },
  params: z.object({
    reduce: z.enum(['max', 'mean', 'topk']).default('max').describe('How to turn a difference image into one score'),
    topK: z.number().int().min(1).max(100000).default(16).describe('Pixels averaged when reduce = topk'),
    blurSigma: z.number().min(0).max(16).default(0).describe('Gaussian blur (pixels) applied to |x − x̂| first; 0 = none'),
  }),
  cache: 'pure',
});
