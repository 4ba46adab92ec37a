/**
 * All node types, as one explicit list (no globbing). kernels.ts lists their kernels in the same order;
 * tests/unit/registry.test.ts checks the two agree.
 */
import type { AnyNodeDefinition } from './core/define-node';
import { augmentNode } from './augment/definition';
import { autoencoderNode } from './autoencoder/definition';
import { deepSadNode } from './deep-sad/definition';
import { deepSvddNode } from './deep-svdd/definition';
import { imageSetNode } from './image-set/definition';
import { residualMaxNode } from './residual-max/definition';
import { latentDistanceNode } from './latent-distance/definition';
import { histogramNode } from './histogram/definition';
import { thresholdNode } from './threshold/definition';
import { compareNode } from './compare/definition';
import { rocNode } from './roc/definition';
import { pretrainedCnnNode } from './pretrained-cnn/definition';
import { padimNode } from './padim/definition';
import { pixelRocNode } from './pixel-roc/definition';
import { syntheticAnomalyNode } from './synthetic-anomaly/definition';
import { splitNode } from './split/definition';
import { reconstructNode } from './reconstruct/definition';
import { imageFeaturesNode } from './image-features/definition';

export const nodeDefinitions: readonly AnyNodeDefinition[] = [
  imageSetNode,
  augmentNode,
  syntheticAnomalyNode,
  splitNode,
  autoencoderNode,
  deepSvddNode,
  deepSadNode,
  pretrainedCnnNode,
  reconstructNode,
  residualMaxNode,
  imageFeaturesNode,
  latentDistanceNode,
  padimNode,
  rocNode,
  pixelRocNode,
  histogramNode,
  thresholdNode,
  compareNode,
] as unknown as readonly AnyNodeDefinition[];

const byType = new Map(nodeDefinitions.map((d) => [d.type, d]));

export function getDefinition(type: string): AnyNodeDefinition | undefined {
  return byType.get(type);
}
