import { z } from 'zod';
import { defineNode } from '../core/define-node';

export const splitNode = defineNode({
  type: 'split',
  version: 1,
  category: 'data',
  title: 'Split',
  description:
    'Splits an image set in two at random (seeded), stratified by label: output b gets the given fraction of ' +
    'each class (normal, anomalous, unlabelled), output a the rest. Use it to hold out normal images the model ' +
    'never trains on, e.g. to calibrate a score on "normal but unseen" images without looking at test labels.',
  inputs: {
    images: { type: 'ImageSet', label: 'Images' },
  },
  outputs: {
    a: { type: 'ImageSet', label: 'a (the rest)', description: 'The 1 − fraction share, e.g. the training part' },
    b: { type: 'ImageSet', label: 'b (fraction)', description: 'The fraction share, e.g. a validation hold-out' },
  },
  params: z.object({
    fraction: z
      .number()
      .gt(0)
      .lt(1)
      .default(0.2)
      .describe('Share of each class that goes to output b (rounded per class); the rest goes to a'),
    seed: z.number().int().min(0).max(2 ** 31 - 1).default(0).describe('Random seed of the split'),
  }),
  cache: 'seeded',
});
