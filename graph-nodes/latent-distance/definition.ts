import { z } from 'zod';
import { defineNode } from '../core/define-node';

export const latentDistanceNode = defineNode({
  type: 'latent-distance',
  version: 1,
  category: 'score',
  title: 'Latent distance',
  description:
    'Scores each image by how far its latent code lies from the centre (mean) of the normal training codes: ' +
    'Euclidean distance (the lecture\'s), or Mahalanobis distance under the training codes\' covariance, ' +
    'regularised by Ledoit-Wolf shrinkage so it stays well-defined when codes have more dimensions than there ' +
    'are training images. The normal radius r is a percentile of the training distances. Higher = more anomalous.',
  reference:
    'Lecture on AutoEncoders for anomaly detection in chest X-rays (latent distance); Ledoit & Wolf 2004, ' +
    '"A well-conditioned estimator for large-dimensional covariance matrices"',
  inputs: {
    train: { type: 'Embeddings', label: 'Train codes (normal)', description: 'Codes of normal training images, e.g. the AutoEncoder\'s trainCodes' },
    images: { type: 'Embeddings', label: 'Codes to score' },
  },
  outputs: {
    scores: { type: 'Scores', label: 'Distances' },
  },
  params: z.object({
    metric: z
      .enum(['euclidean', 'mahalanobis'])
      .default('euclidean')
      .describe('Euclidean: plain distance to the centre. Mahalanobis: distance scaled by the spread of the normal codes'),
    percentile: z
      .number()
      .min(0)
      .max(100)
      .default(95)
      .describe('Normal radius r = this percentile of the training images\' distances (shown in the preview)'),
    shrinkage: z
      .enum(['ledoit-wolf', 'fixed'])
      .default('ledoit-wolf')
      .describe('Mahalanobis: how much to pull the covariance towards a multiple of the identity (Ledoit-Wolf picks it from the data)'),
    shrinkageAmount: z
      .number()
      .min(0)
      .max(1)
      .default(0.1)
      .describe('Mahalanobis with fixed shrinkage: 0 = sample covariance, 1 = identity × mean variance'),
    epsilon: z
      .number()
      .min(0)
      .max(1)
      .default(1e-6)
      .describe('Mahalanobis: ridge ε × mean variance added to the covariance so it can always be inverted'),
  }),
  cache: 'pure',
});
