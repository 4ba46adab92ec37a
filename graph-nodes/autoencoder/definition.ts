import { z } from 'zod';
import { defineNode } from '../core/define-node';

export const autoencoderNode = defineNode({
  type: 'autoencoder',
  version: 1,
  category: 'model',
  title: 'AutoEncoder',
  description:
    'Convolutional AutoEncoder trained on normal images only (stride-2 conv encoder → latent code → mirrored ' +
    'transposed-conv decoder). It learns to reconstruct "normal"; anomalies reconstruct worse. Outputs the ' +
    'reconstructions and latent codes of the images to score, the trained model and its encoder.',
  reference: 'Lecture on AutoEncoders for anomaly detection in chest X-rays',
  inputs: {
    train: { type: 'ImageSet', label: 'Train (normal)' },
    images: { type: 'ImageSet', label: 'Images to score' },
  },
  outputs: {
    recon: { type: 'ImageSet', label: 'Reconstructions' },
    codes: { type: 'Embeddings', label: 'Latent codes' },
    trainCodes: { type: 'Embeddings', label: 'Latent codes (train)', description: 'Latent codes of the training images, e.g. the reference set for a latent-distance scorer' },
    model: { type: 'Model', label: 'Model' },
    encoder: { type: 'FeatureExtractor', label: 'Encoder' },
  },
  params: z.object({
    channels: z
      .array(z.number().int().min(1).max(512))
      .min(1)
      .max(7)
      .default([8, 16, 32])
      .describe('Channels of each stride-2 encoder conv (the lecture: 16,32,64,128,256); the decoder mirrors them'),
    codeChannels: z.number().int().min(1).max(512).default(16).describe('Channels of the latent code'),
    loss: z
      .enum(['mse', 'l1', 'ssim'])
      .default('mse')
      .describe('Reconstruction loss: mean squared error, mean absolute error, or 1 − SSIM (structural similarity, 11×11 Gaussian window)'),
    epochs: z.number().int().min(1).max(1000).default(8).describe('Passes over the training images'),
    batchSize: z.number().int().min(1).max(512).default(16).describe('Images per training step'),
    learningRate: z.number().positive().max(1).default(0.003).describe('Adam learning rate'),
    seed: z.number().int().min(0).max(2 ** 31 - 1).default(0).describe('Seed for weight initialisation and batch order'),
  }),
  cache: 'seeded',
});
