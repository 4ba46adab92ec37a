import { z } from 'zod';
import { defineNode } from '../core/define-node';

export const compareNode = defineNode({
  type: 'compare',
  version: 1,
  category: 'evaluate',
  title: 'Compare scorers',
  description:
    'Overlays the ROC curves of up to four scorers of the same test images, each labelled with its name, AUROC ' +
    'and AP, and flags any whose AUROC is below 0.5 (the score points the wrong way). A viewer only: it has no ' +
    'outputs, because picking the best scorer by its test AUROC would report an optimistic number — wire a ROC ' +
    'evaluator to each scorer for their metrics.',
  inputs: {
    a: { type: 'Scores', label: 'Scorer A' },
    b: { type: 'Scores', label: 'Scorer B', optional: true },
    c: { type: 'Scores', label: 'Scorer C', optional: true },
    d: { type: 'Scores', label: 'Scorer D', optional: true },
  },
  outputs: {},
  params: z.object({}),
  cache: 'pure',
});
