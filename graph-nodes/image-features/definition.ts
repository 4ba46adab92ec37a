import { z } from 'zod';
import { defineNode } from '../core/define-node';

/** Per-image scalar features, in the fixed column order of the output (whatever order they are picked in). */
export const imageFeatureKinds = [
  'residual-mean',
  'residual-max',
  'residual-top1',
  'recon-mean',
  'recon-std',
  'recon-sharpness',
  'image-mean',
  'image-std',
  'image-sharpness',
] as const;
export type ImageFeatureKind = (typeof imageFeatureKinds)[number];

export const imageFeaturesNode = defineNode({
  type: 'image-features',
  version: 1,
  category: 'score',
  title: 'Image features',
  description:
    'A few simple numbers per image, as a feature vector: from the difference |x − x̂| to the AutoEncoder\'s ' +
    'reconstruction (mean, max after a Gaussian blur, mean of the top 1 %), from the reconstruction itself and from ' +
    'the image (mean, standard deviation, sharpness = gradient energy), optionally log-transformed. Feed the ' +
    'features of held-out normal images and of the test images to a Latent distance node (Mahalanobis): an image ' +
    'is scored by how unusual its features are in either direction, so no score direction has to be chosen from ' +
    'test labels. Caution: brightness, contrast and sharpness also measure how an image was acquired and ' +
    'compressed; where normal and abnormal images come from different sources (e.g. the pediatric pneumonia set, ' +
    'whose NORMAL and PNEUMONIA originals differ in size and JPEG quality), a good AUROC may come from that ' +
    'shortcut rather than from the disease. Compare with the image-* features alone, which use no AutoEncoder.',
  reference:
    'Lecture on AutoEncoders for anomaly detection in chest X-rays (the AutoEncoder as preprocessing for a simple ' +
    'feature); Mahalanobis 1936 for the distance downstream',
  inputs: {
    images: { type: 'ImageSet', label: 'Images' },
    recon: {
      type: 'ImageSet',
      label: 'Reconstructions',
      optional: true,
      description: 'Reconstructions of the same images (AutoEncoder recon or a Reconstruct node); needed by residual-* and recon-* features',
    },
  },
  outputs: {
    features: { type: 'Embeddings', label: 'Features', description: 'One row per image, one column per picked feature (in the listed order)' },
  },
  params: z.object({
    features: z
      .array(z.enum(imageFeatureKinds))
      .min(1)
      .default(['residual-mean', 'residual-max', 'residual-top1', 'recon-mean', 'recon-std', 'recon-sharpness'])
      .describe(
        'Features to compute: residual-* from |x − x̂| (mean, max after blur, top-1 % mean), recon-* / image-* from the reconstruction / the image (mean, std, sharpness = mean squared neighbour difference)',
      ),
    blurSigma: z.number().min(0).max(16).default(2).describe('Gaussian blur (pixels) of |x − x̂| before residual-max; 0 = none'),
    log: z.boolean().default(true).describe('Take log(v + 1e-8) of every feature (they are positive and skewed; logs make them closer to Gaussian)'),
  }),
  cache: 'pure',
});
