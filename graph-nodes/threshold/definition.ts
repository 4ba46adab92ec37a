import { z } from 'zod';
import { defineNode } from '../core/define-node';

export const thresholdNode = defineNode({
  type: 'threshold',
  version: 1,
  category: 'evaluate',
  title: 'Threshold',
  description:
    'Turns scores into a yes/no decision (score ≥ threshold ⇒ anomalous) and reports the confusion matrix ' +
    '(TP, FP, TN, FN), sensitivity, specificity, precision and F1 at it, plus AUROC/AP when both classes are ' +
    'labelled. Percentile of normal scores needs only normal labels (e.g. 95 ⇒ about 5 % false alarms); Youden ' +
    'and best F1 pick the threshold from both classes, so they are optimistic on the same test set.',
  reference: 'Youden 1950, "Index for rating diagnostic tests"',
  inputs: { scores: { type: 'Scores', label: 'Scores' } },
  outputs: { metrics: { type: 'Metrics', label: 'Metrics' } },
  params: z.object({
    method: z
      .enum(['percentile-normal', 'youden', 'best-f1', 'fixed'])
      .default('percentile-normal')
      .describe('How to choose the threshold: a percentile of the normal scores, max(TPR − FPR), max F1, or a fixed value'),
    percentile: z
      .number()
      .min(0)
      .max(100)
      .default(95)
      .describe('Percentile of the normal-labelled scores (method percentile-normal): ≈ 100 − the false-alarm rate in %'),
    value: z.number().min(-1e12).max(1e12).default(0.5).describe('The threshold itself (method fixed)'),
  }),
  cache: 'pure',
});
