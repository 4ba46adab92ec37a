import { z } from 'zod';
import { defineNode } from '../core/define-node';

export const syntheticKinds = ['mirror', 'invert', 'nodule', 'patch', 'cutpaste'] as const;
export type SyntheticKind = (typeof syntheticKinds)[number];

const fractionOfSide = (d: number, help: string) => z.number().min(0.005).max(0.5).default(d).describe(help);

export const syntheticAnomalyNode = defineNode({
  type: 'synthetic-anomaly',
  version: 1,
  category: 'preprocess',
  title: 'Synthetic anomalies',
  description:
    'Turns some normal images into labelled anomalies with pixel masks, so you can evaluate a detector (or feed ' +
    'Deep SAD) when you only have normal images. Kinds: mirror (left-right flip, the lecture\'s reversed image), ' +
    'invert (1 − x), nodule (a soft bright disc), patch (a cloudy opacity, like pneumonia), cutpaste (a rectangle ' +
    'cut from the image and pasted elsewhere, CutPaste). Output: the normals (label 0) and the anomalies (label 1). ' +
    'Synthetic defects are only a proxy for real ones: confirm on real anomalies when you can.',
  reference:
    'CutPaste: Li, Sohn, Yoon, Pfister, "CutPaste: Self-Supervised Learning for Anomaly Detection and Localization", CVPR 2021',
  inputs: { images: { type: 'ImageSet', label: 'Normal images' } },
  outputs: { images: { type: 'ImageSet', label: 'Normals + anomalies' } },
  params: z
    .object({
      kinds: z
        .array(z.enum(syntheticKinds))
        .min(1)
        .default(['mirror', 'nodule', 'patch', 'cutpaste'])
        .describe('Kinds of anomaly, used in turn (invert is off by default: it is trivially easy to detect)'),
      fraction: z
        .number()
        .min(0)
        .max(1)
        .default(0.5)
        .describe('Share of the output images that are anomalous (at most 0.9 while keepNormals is on)'),
      keepNormals: z
        .boolean()
        .default(true)
        .describe('Output every input image as a normal and add the anomalies; off = replace a fraction of them'),
      placement: z
        .enum(['body', 'anywhere'])
        .default('body')
        .describe('Where nodules, patches and pasted rectangles go: inside the body (brighter region, rows spanned) or anywhere'),
      noduleRadiusMin: fractionOfSide(0.03, 'Smallest nodule radius, as a share of the image side'),
      noduleRadiusMax: fractionOfSide(0.07, 'Largest nodule radius, as a share of the image side'),
      patchRadiusMin: fractionOfSide(0.08, 'Smallest patch (and cutpaste half-side) size, as a share of the image side'),
      patchRadiusMax: fractionOfSide(0.16, 'Largest patch (and cutpaste half-side) size, as a share of the image side'),
      intensity: z
        .number()
        .min(0.02)
        .max(1)
        .default(0.35)
        .describe('Brightness of nodules and patches (each: uniform in 0.6–1 × this, added to the pixels, capped at 1)'),
      seed: z.number().int().min(0).max(2 ** 31 - 1).default(0).describe('Random seed: the same seed gives the same anomalies'),
    })
    .superRefine((p, issue) => {
      if (p.noduleRadiusMin > p.noduleRadiusMax) {
        issue.addIssue({ code: 'custom', path: ['noduleRadiusMax'], message: 'Must be at least noduleRadiusMin' });
      }
      if (p.patchRadiusMin > p.patchRadiusMax) {
        issue.addIssue({ code: 'custom', path: ['patchRadiusMax'], message: 'Must be at least patchRadiusMin' });
      }
      // (A fraction above 1 already fails its own bound; say it once.)
      if (p.keepNormals && p.fraction > 0.9 && p.fraction <= 1) {
        issue.addIssue({
          code: 'custom',
          path: ['fraction'],
          message: 'Must be at most 0.9 while keepNormals is on (turn keepNormals off to output only anomalies)',
        });
      }
    }),
  cache: 'seeded',
});
