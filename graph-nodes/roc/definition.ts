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
    'Below 0.5 the score points the wrong way: the node says so.',
  inputs: { scores: { type: 'Scores', label: 'Scores' } },
  outputs: { metrics: { type: 'Metrics', label: 'Metrics' } },
  params: z.object({}),
  cache: 'pure',
});
