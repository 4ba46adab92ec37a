import { z } from 'zod';
import { defineNode } from '../core/define-node';

export const anomalyKinds = ['nodule', 'opacity', 'mirrored', 'inverted'] as const;
export type AnomalyKind = (typeof anomalyKinds)[number];

export const imageSetNode = defineNode({
  type: 'image-set',
  version: 1,
  category: 'data',
  title: 'Image set',
  description:
    'Loads images with their labels: built-in chest X-ray phantoms (normal and anomalous, with pixel masks), ' +
    'or your own folder (one subfolder per class, e.g. NORMAL / PNEUMONIA) or CSV (path,label[,split][,mask]). ' +
    'Unreadable files are skipped and counted.',
  inputs: {},
  outputs: { images: { type: 'ImageSet', label: 'Images', lazy: true } },
  params: z.object({
    source: z.enum(['phantoms', 'folder']).default('phantoms').describe('Built-in phantoms, or your own images'),
    path: z
      .string()
      .max(1000)
      .default('')
      .describe('Folder with one subfolder per class, or a CSV file with path,label[,split][,mask] (folder source only)'),
    normalClass: z
      .string()
      .max(100)
      .default('auto')
      .describe('Class folder name or label value that means normal; auto = NORMAL/normal/good/0'),
    split: z.string().max(100).default('').describe('Keep only this split (CSV split column or top-level folder, e.g. train); empty = all'),
    include: z.enum(['all', 'normal', 'anomalous']).default('all').describe('Which images to keep'),
    limit: z.number().int().min(0).max(100000).default(0).describe('At most this many images (random, seeded); 0 = no limit'),
    seed: z.number().int().min(0).max(2 ** 31 - 1).default(0).describe('Random seed (phantom generation and the limit sample)'),
    size: z.number().int().min(16).max(512).default(64).describe('Images are resized to size × size pixels'),
    grayscale: z.boolean().default(true).describe('One channel (grey) instead of RGB'),
    normals: z.number().int().min(0).max(5000).default(48).describe('Phantoms: number of normal images'),
    anomalies: z.number().int().min(0).max(5000).default(16).describe('Phantoms: number of anomalous images'),
    anomalyKinds: z
      .array(z.enum(anomalyKinds))
      .min(1)
      .default([...anomalyKinds])
      .describe('Phantoms: kinds of anomaly, used in turn'),
  }),
  cache: 'seeded',
});
