import { z } from 'zod';
import { defineNode } from '../core/define-node';

export const histogramNode = defineNode({
  type: 'histogram',
  version: 1,
  category: 'evaluate',
  title: 'Score histogram',
  description:
    'Shows how the scores of normal, anomalous and unlabelled images are distributed, as overlaid histograms ' +
    'on shared bins. Well-separated humps mean a good score; overlapping ones mean the score cannot tell the ' +
    'classes apart. Needs no labels. A viewer only: it has no outputs.',
  inputs: { scores: { type: 'Scores', label: 'Scores' } },
  outputs: {},
  params: z.object({
    bins: z.number().int().min(2).max(200).default(20).describe('Number of bins between the lowest and highest score'),
    logScale: z
      .boolean()
      .default(false)
      .describe('Space the bins evenly in log(score), for scores spanning orders of magnitude (needs scores > 0)'),
  }),
  cache: 'pure',
});
