import { z } from 'zod';
import { defineNode } from '../core/define-node';

export const rocNode = defineNode({
  type: 'roc',
  version: 1,
  category: 'evaluate',
  title: 'ROC evaluator',
  description:
    'ROC curve and the area under it (AUROC, equal to scikit-learn\'s roc_auc_score, ties counted as ½), ' +
    'plus average precision (AP). 0.5 = chance, 1 = perfect separation of normal and anomalous images. ' +
    'Below 0.5 the score points the wrong way: the node says so, and `direction` flips it — but a direction ' +
    'chosen by looking at the test labels is not a result.',
  inputs: { scores: { type: 'Scores', label: 'Scores' } },
  outputs: { metrics: { type: 'Metrics', label: 'Metrics' } },
  params: z.object({
    direction: z
      .enum(['higher-is-anomalous', 'lower-is-anomalous'])
      .default('higher-is-anomalous')
      .describe('Which way the score points; flip only for a reason that does not come from these test labels'),
  }),
  cache: 'pure',
});
