import { z } from 'zod';
import { defineNode } from '../core/define-node';
import { sphereNetworkParams, sphereOutputs, spherePretrainedPort } from '../deep-svdd/definition';

export const deepSadNode = defineNode({
  type: 'deep-sad',
  version: 1,
  category: 'model',
  title: 'Deep SAD',
  description:
    'Deep Semi-supervised Anomaly Detection: Deep SVDD plus a few labelled anomalies. The bias-free conv network ' +
    'φ pulls normal (or unlabelled) training images towards a centre c and pushes the labelled anomalies away ' +
    '(their loss is η / ||φ(x) − c||²). Every training batch contains some labelled anomalies (they are few, so ' +
    'they are oversampled). Score = ||φ(x) − c||², higher = more anomalous. Use it when you have a handful of ' +
    'known abnormal images.',
  reference: 'Ruff et al., "Deep Semi-Supervised Anomaly Detection", ICLR 2020',
  inputs: {
    train: { type: 'ImageSet', label: 'Train (normal/unlabelled)', description: 'Label 0 = known normal, -1 = unlabelled' },
    anomalies: { type: 'ImageSet', label: 'Labelled anomalies', description: 'A few known anomalous images' },
    images: { type: 'ImageSet', label: 'Images to score' },
    pretrained: spherePretrainedPort,
  },
  outputs: sphereOutputs,
  params: z.object({
    eta: z.number().gt(0).max(1000).default(1).describe('η: weight of the labelled images\' terms (the paper uses 1)'),
    labelledPerBatch: z
      .number()
      .int()
      .min(1)
      .max(256)
      .default(4)
      .describe('Labelled anomalies in every batch (drawn in turn, repeating: oversampling); the rest of the batch is training images'),
    nu: z
      .number()
      .gt(0)
      .max(1)
      .default(0.1)
      .describe('ν in (0, 1]: the preview circle is the (1−ν)-quantile of the training distances'),
    ...sphereNetworkParams,
  }),
  cache: 'seeded',
});
