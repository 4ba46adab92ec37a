import { z } from 'zod';
import { defineNode } from '../core/define-node';

export const anomalyKinds = ['nodule', 'opacity', 'mirrored', 'inverted'] as const;
export type AnomalyKind = (typeof anomalyKinds)[number];

export const imageSetNode = defineNode({
  type: 'image-set',
  version: 2,
  category: 'data',
  title: 'Image set',
  description:
    'Loads images with their labels: built-in chest X-ray phantoms (normal and anomalous, with pixel masks), ' +
    'or your own folder (one subfolder per class, e.g. NORMAL / PNEUMONIA) or CSV (path,label[,split][,mask]). ' +
    'Reads PNG (8/16-bit), JPEG and DICOM (uncompressed, deflated, RLE, JPEG baseline/lossless, JPEG 2000, JPEG-LS). ' +
    'High-bit-depth images are mapped to grey by a window (DICOM linear VOI LUT, PS3.3 C.11.2.1.2). ' +
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
    window: z
      .enum(['auto', 'minmax', 'full', 'manual'])
      .default('auto')
      .describe(
        'Grey mapping of high-bit-depth images: auto = a DICOM file\'s own Window Center/Width, else its min–max ' +
          '(PNG/JPEG: full range); minmax = each image\'s min–max; full = the whole bit range; manual = windowCenter/windowWidth',
      ),
    windowCenter: z.number().min(-1e9).max(1e9).default(2048).describe('Manual window: centre, in stored units (DICOM: after Rescale Slope/Intercept, e.g. HU)'),
    windowWidth: z.number().min(1).max(1e9).default(4096).describe('Manual window: width (at least 1), same units as the centre'),
    normals: z.number().int().min(0).max(5000).default(48).describe('Phantoms: number of normal images'),
    anomalies: z.number().int().min(0).max(5000).default(16).describe('Phantoms: number of anomalous images'),
    anomalyKinds: z
      .array(z.enum(anomalyKinds))
      .min(1)
      .default([...anomalyKinds])
      .describe('Phantoms: kinds of anomaly, used in turn'),
  }),
  cache: 'seeded',
  migrations: {
    // v2 added the window params; 'auto' keeps PNG/JPEG results exactly as v1 loaded them.
    2: (p) => ({ ...p, window: p.window ?? 'auto', windowCenter: p.windowCenter ?? 2048, windowWidth: p.windowWidth ?? 4096 }),
  },
});
