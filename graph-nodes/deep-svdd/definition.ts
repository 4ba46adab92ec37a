import { z } from 'zod';
import { defineNode } from '../core/define-node';

/** Network and training params shared with Deep SAD. */
export const sphereNetworkParams = {
  channels: z
    .array(z.number().int().min(1).max(256))
    .min(1)
    .max(6)
    .default([8, 16, 32])
    .describe('Channels of each stride-2 conv (no bias, leaky ReLU); the image size must be divisible by 2^layers'),
  kernelSize: z.number().int().min(1).max(7).default(3).describe('Conv kernel size (3 matches the AutoEncoder, so its encoder can initialise the convs)'),
  repDim: z.number().int().min(2).max(256).default(32).describe('Size of the embedding φ(x) (the space the hypersphere lives in)'),
  epochs: z.number().int().min(1).max(1000).default(20).describe('Passes over the training images'),
  batchSize: z.number().int().min(1).max(512).default(32).describe('Images per training step'),
  learningRate: z.number().positive().max(1).default(0.001).describe('Adam learning rate'),
  weightDecay: z.number().min(0).max(1).default(1e-6).describe('Weight decay λ: adds (λ/2)·Σ||W||² to the loss (the papers use 1e-6)'),
  seed: z.number().int().min(0).max(2 ** 31 - 1).default(0).describe('Seed for weight initialisation and batch order'),
};

/** Ports Deep SVDD and Deep SAD share: optional initialisation and the same outputs. */
export const spherePretrainedPort = {
  type: 'FeatureExtractor',
  label: 'Pretrained (optional)',
  optional: true,
  description: 'e.g. the AutoEncoder encoder: its conv kernels initialise φ where shapes agree',
} as const;

export const sphereOutputs = {
  scores: { type: 'Scores', label: 'Scores ||φ(x) − c||²' },
  embeddings: { type: 'Embeddings', label: 'Embeddings φ(x)' },
} as const;

export const deepSvddNode = defineNode({
  type: 'deep-svdd',
  version: 1,
  category: 'model',
  title: 'Deep SVDD',
  description:
    'Deep Support Vector Data Description: trains a bias-free conv network φ on normal images so that their ' +
    'embeddings gather in a small hypersphere around a centre c (the mean of the initial embeddings). The score ' +
    'of an image is its squared distance ||φ(x) − c||² to the centre (higher = more anomalous). "one-class" ' +
    'shrinks the mean distance; "soft-boundary" learns a radius R that leaves a fraction ν of the training images ' +
    'outside. Optionally start from a pretrained AutoEncoder encoder (same channels, kernel size 3).',
  reference: 'Ruff et al., "Deep One-Class Classification", ICML 2018',
  inputs: {
    train: { type: 'ImageSet', label: 'Train (normal)' },
    images: { type: 'ImageSet', label: 'Images to score' },
    pretrained: spherePretrainedPort,
  },
  outputs: sphereOutputs,
  params: z.object({
    objective: z
      .enum(['one-class', 'soft-boundary'])
      .default('one-class')
      .describe('one-class: mean ||φ(x) − c||²; soft-boundary: R² + (1/ν)·mean(max(0, ||φ(x) − c||² − R²))'),
    nu: z
      .number()
      .gt(0)
      .max(1)
      .default(0.1)
      .describe('ν in (0, 1]: soft-boundary: share of training images allowed outside the sphere; one-class: the preview circle is the (1−ν)-quantile of training distances'),
    warmUpEpochs: z
      .number()
      .int()
      .min(0)
      .max(1000)
      .default(5)
      .describe('Soft-boundary: epochs before the radius R is first updated (R = 0 until then)'),
    ...sphereNetworkParams,
  }),
  cache: 'seeded',
});
