import { z } from 'zod';
import { defineNode } from '../core/define-node';

export const augmentNode = defineNode({
  type: 'augment',
  version: 1,
  category: 'preprocess',
  title: 'Augment',
  description:
    'Makes randomly altered copies of each image so a model sees more variety of "normal": left-right flip ' +
    '(the lecture\'s reversed image), small rotations, random crops resized back, contrast and brightness changes ' +
    'and Gaussian pixel noise. Labels are kept; pixel masks get the same flip/rotation/crop. Use it on training ' +
    'images only (not on test images), and keep flips off when left/right matters (a chest X-ray\'s heart side).',
  inputs: { images: { type: 'ImageSet', label: 'Images' } },
  outputs: { images: { type: 'ImageSet', label: 'Augmented images' } },
  params: z.object({
    copies: z.number().int().min(1).max(16).default(1).describe('Augmented copies made of each input image'),
    keepOriginals: z.boolean().default(true).describe('Also output the unchanged input images'),
    flipHorizontal: z.number().min(0).max(1).default(0.5).describe('Probability that a copy is mirrored left-right'),
    rotationDegrees: z
      .number()
      .min(0)
      .max(180)
      .default(10)
      .describe('Largest rotation in degrees (each copy: uniform in ±this, bilinear, about the centre); 0 = none'),
    fill: z
      .enum(['edge', 'zero'])
      .default('edge')
      .describe('What fills the corners a rotation uncovers: the nearest border pixel (edge) or black (zero)'),
    cropScale: z
      .number()
      .min(0.1)
      .max(1)
      .default(1)
      .describe('Random crop keeping at least this share of the image area, resized back to full size; 1 = no crop'),
    brightness: z.number().min(0).max(1).default(0.05).describe('Largest brightness shift (each copy: uniform in ±this, added to every pixel)'),
    contrast: z
      .number()
      .min(0)
      .max(1)
      .default(0.1)
      .describe('Largest contrast change (each copy: factor uniform in 1 ± this, applied around the image mean)'),
    noiseStd: z.number().min(0).max(0.5).default(0.01).describe('Standard deviation of Gaussian pixel noise added (0..1 scale); 0 = none'),
    seed: z.number().int().min(0).max(2 ** 31 - 1).default(0).describe('Random seed: the same seed gives the same copies'),
  }),
  cache: 'seeded',
});
