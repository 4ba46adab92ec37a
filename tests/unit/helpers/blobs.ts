/** Toy image sets for kernel tests: smooth random blobs, 16×16 grey (normal); `invert` gives 1 − blob (anomalous). */
import * as tf from '@tensorflow/tfjs';
import type { ImageSetValue } from '../../../graph-nodes/core/kernel-types';
import { createRng } from '../../../graph-nodes/core/random';

export function blobs(n: number, seed: number, invert = false, value = (v: number) => v): ImageSetValue {
  const rng = createRng(seed);
  const data = new Float32Array(n * 256);
  for (let i = 0; i < n; i++) {
    const cx = rng.uniform(4, 12);
    const cy = rng.uniform(4, 12);
    for (let y = 0; y < 16; y++)
      for (let x = 0; x < 16; x++) {
        const b = Math.exp(-((x - cx) ** 2 + (y - cy) ** 2) / 18);
        data[i * 256 + y * 16 + x] = value(invert ? 1 - b : b);
      }
  }
  return {
    kind: 'ImageSet',
    images: tf.tensor4d(data, [n, 16, 16, 1]),
    labels: new Int8Array(n).fill(invert ? 1 : 0),
    names: Array.from({ length: n }, (_, i) => `${invert ? 'inv' : 'b'}${i}`),
    masks: null,
    summary: { source: 'blobs', loaded: n, skipped: [], perClass: {} },
  };
}

/** Two image sets as one (new images tensor; labels and names concatenated). */
export function concatSets(a: ImageSetValue, b: ImageSetValue): ImageSetValue {
  return {
    ...a,
    images: tf.concat([a.images, b.images], 0) as tf.Tensor4D,
    labels: Int8Array.from([...a.labels, ...b.labels]),
    names: [...a.names, ...b.names],
  };
}
