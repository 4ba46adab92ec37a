/**
 * Kernels of all node types, in the same order as registry.ts (tests/unit/registry.test.ts checks they agree).
 * Worker/CLI side only: this imports tfjs.
 */
import { augmentKernel } from './augment/kernel';
import { autoencoderKernel } from './autoencoder/kernel';
import type { Kernel } from './core/kernel-types';
import { deepSadKernel } from './deep-sad/kernel';
import { deepSvddKernel } from './deep-svdd/kernel';
import { imageSetKernel } from './image-set/kernel';
import { residualMaxKernel } from './residual-max/kernel';
import { latentDistanceKernel } from './latent-distance/kernel';
import { histogramKernel } from './histogram/kernel';
import { thresholdKernel } from './threshold/kernel';
import { compareKernel } from './compare/kernel';
import { rocKernel } from './roc/kernel';
import { pretrainedCnnKernel } from './pretrained-cnn/kernel';
import { padimKernel } from './padim/kernel';
import { pixelRocKernel } from './pixel-roc/kernel';
import { syntheticAnomalyKernel } from './synthetic-anomaly/kernel';
import { splitKernel } from './split/kernel';
import { reconstructKernel } from './reconstruct/kernel';
import { imageFeaturesKernel } from './image-features/kernel';

export const kernels: readonly Kernel[] = [
  imageSetKernel,
  augmentKernel,
  syntheticAnomalyKernel,
  splitKernel,
  autoencoderKernel,
  deepSvddKernel,
  deepSadKernel,
  pretrainedCnnKernel,
  reconstructKernel,
  residualMaxKernel,
  imageFeaturesKernel,
  latentDistanceKernel,
  padimKernel,
  rocKernel,
  pixelRocKernel,
  histogramKernel,
  thresholdKernel,
  compareKernel,
] as unknown as readonly Kernel[];

const byType = new Map(kernels.map((k) => [k.definition.type, k]));

export function getKernel(type: string): Kernel {
  const kernel = byType.get(type);
  if (!kernel) throw new Error(`no kernel registered for node type "${type}"`);
  return kernel;
}
