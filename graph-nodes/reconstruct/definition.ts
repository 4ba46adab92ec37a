import { z } from 'zod';
import { defineNode } from '../core/define-node';

export const reconstructNode = defineNode({
  type: 'reconstruct',
  version: 1,
  category: 'model',
  title: 'Reconstruct',
  description:
    'Applies a trained AutoEncoder (its Model output) to another image set and outputs the reconstructions x̂, ' +
    'with the labels, names and masks of the input images. Use it to reconstruct images the AutoEncoder did not ' +
    'see in training, e.g. held-out normals from a Split node, without training a second model.',
  reference: 'Lecture on AutoEncoders for anomaly detection in chest X-rays',
  inputs: {
    model: { type: 'Model', label: 'Model', description: 'A trained image-to-image network, e.g. the AutoEncoder\'s model output' },
    images: { type: 'ImageSet', label: 'Images' },
  },
  outputs: {
    recon: { type: 'ImageSet', label: 'Reconstructions' },
  },
  params: z.object({
    batchSize: z.number().int().min(1).max(512).default(32).describe('Images per prediction step (lower it if memory runs out)'),
  }),
  cache: 'pure',
});
