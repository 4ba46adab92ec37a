import { z } from 'zod';
import { defineNode } from '../core/define-node';

export const pixelRocNode = defineNode({
  type: 'pixel-roc',
  version: 1,
  category: 'evaluate',
  title: 'Pixel ROC / PRO',
  description:
    'Evaluates heatmaps against the pixel masks of the images (where the anomaly really is): pixel AUROC over ' +
    'all pixels of all images (as scikit-learn\'s roc_auc_score on the flattened maps and masks), and PRO — the ' +
    'mean overlap with each connected anomalous region, averaged up to a false-positive rate of 0.3 (MVTec AD). ' +
    'Needs images with masks, e.g. the built-in phantoms.',
  reference: 'Bergmann et al., "The MVTec Anomaly Detection Dataset", IJCV 2021 (PRO); Bergmann et al., CVPR 2019',
  inputs: { heatmaps: { type: 'Heatmaps', label: 'Heatmaps (with masks)' } },
  outputs: { metrics: { type: 'Metrics', label: 'Pixel metrics' } },
  params: z.object({
    maxPixels: z
      .number()
      .int()
      .min(10_000)
      .max(50_000_000)
      .default(4_000_000)
      .describe('Above this many pixels, a fixed random sample (same rate for normal and anomalous pixels) is evaluated instead; the node says so'),
    proFprLimit: z.number().gt(0).max(1).default(0.3).describe('PRO is averaged over false-positive rates 0…this limit (MVTec AD: 0.3)'),
    noMasks: z
      .enum(['error', 'skip'])
      .default('error')
      .describe('Images without pixel masks (e.g. real X-rays with image labels only): fail, or skip with a warning (metrics = NaN)'),
  }),
  cache: 'pure',
});
