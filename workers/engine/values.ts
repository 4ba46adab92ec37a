/**
 * Helpers over port values: disposal (the cache owns values) and a byte estimate for the cache bound.
 */
import type * as tf from '@tensorflow/tfjs';
import type { StoredValue } from '../../graph-nodes/core/kernel-types';

export type NodeOutputs = Record<string, StoredValue>;

function tensorsOf(value: StoredValue): tf.Tensor[] {
  switch (value.kind) {
    case 'ImageSet':
      // A lazy set holds no tensors.
      if (value.images === null) return [];
      return value.masks ? [value.images, value.masks] : [value.images];
    case 'Embeddings':
      return [value.vectors];
    case 'Heatmaps':
      return value.masks ? [value.maps, value.masks] : [value.maps];
    default:
      return [];
  }
}

/**
 * Dispose every tensor and model of a node's outputs exactly once. Outputs of one node may share tensors
 * (e.g. a pass-through), and a FeatureExtractor may share weights with a Model, so track what was freed.
 */
export function disposeOutputs(outputs: NodeOutputs): void {
  const seen = new Set<unknown>();
  for (const value of Object.values(outputs)) {
    for (const t of tensorsOf(value)) {
      if (!seen.has(t) && !t.isDisposed) t.dispose();
      seen.add(t);
    }
    if (value.kind === 'Model' && !seen.has(value.model)) {
      seen.add(value.model);
      value.model.dispose();
    }
    if (value.kind === 'FeatureExtractor') value.dispose();
  }
}

export function outputBytes(outputs: NodeOutputs): number {
  let bytes = 0;
  for (const value of Object.values(outputs)) {
    for (const t of tensorsOf(value)) bytes += t.size * 4;
    if (value.kind === 'Model') bytes += value.model.countParams() * 4;
    if (value.kind === 'FeatureExtractor') bytes += value.bytes ?? 0;
    if (value.kind === 'Scores') bytes += value.scores.byteLength + value.labels.byteLength;
  }
  return bytes;
}
