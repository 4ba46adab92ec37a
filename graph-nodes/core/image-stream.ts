/**
 * Image sets that are read a batch at a time. A resident set (one tensor) and a lazy set (names + a source that
 * reads pixels back) look the same to a streaming kernel through `streamOf`; `materializeImageSet` turns a lazy set
 * into a resident one for kernels that need the whole set at once.
 */
import * as tf from '@tensorflow/tfjs';
import type { ImageSetValue, ImageStream, LazyImageSetValue, StoredValue } from './kernel-types';

export function isLazyImageSet(value: StoredValue | undefined): value is LazyImageSetValue {
  return value?.kind === 'ImageSet' && value.images === null;
}

function range(start: number, size: number): number[] {
  return Array.from({ length: size }, (_, i) => start + i);
}

export function streamOf(set: ImageSetValue | LazyImageSetValue): ImageStream {
  const count = set.labels.length;
  const base = { kind: 'ImageStream' as const, count, labels: set.labels, names: set.names, summary: set.summary };
  const check = (start: number, size: number) => {
    if (start < 0 || size < 1 || start + size > count) throw new RangeError(`images ${start}..${start + size - 1} of a set of ${count}`);
  };
  if (set.images === null) {
    const [h, w, c] = set.imageShape;
    return {
      ...base,
      imageShape: set.imageShape,
      hasMasks: set.hasMasks,
      async read(start, size, signal) {
        check(start, size);
        const { images } = await set.source.read(range(start, size), signal);
        return tf.tensor4d(images, [size, h, w, c], 'float32');
      },
    };
  }
  const images = set.images;
  const [, h, w, c] = images.shape;
  return {
    ...base,
    imageShape: [h, w, c],
    hasMasks: set.masks !== null,
    async read(start, size) {
      check(start, size);
      return tf.slice(images, [start, 0, 0, 0], [size, -1, -1, -1]);
    },
  };
}

/** Pixels (and masks) of some images of a resident or lazy set, [k,H,W,C] / [k,H,W,1] in `indices` order. */
export async function readPixels(set: ImageSetValue | LazyImageSetValue, indices: number[]): Promise<{ images: Float32Array; masks: Float32Array | null }> {
  if (set.images === null) return set.source.read(indices, new AbortController().signal);
  const picked = tf.gather(set.images, indices);
  const pickedMasks = set.masks ? tf.gather(set.masks, indices) : null;
  try {
    return {
      images: (await picked.data()) as Float32Array,
      masks: pickedMasks ? ((await pickedMasks.data()) as Float32Array) : null,
    };
  } finally {
    picked.dispose();
    pickedMasks?.dispose();
  }
}

/** Chunk of images read per source call while materialising (bounds the temporary JS arrays). */
const CHUNK = 64;

/** The same set held as tensors (the caller owns them). */
export async function materializeImageSet(set: LazyImageSetValue, signal: AbortSignal): Promise<ImageSetValue> {
  const n = set.labels.length;
  const [h, w, c] = set.imageShape;
  const pixels = new Float32Array(n * h * w * c);
  const masks = set.hasMasks ? new Float32Array(n * h * w) : null;
  for (let start = 0; start < n; start += CHUNK) {
    const part = await set.source.read(range(start, Math.min(CHUNK, n - start)), signal);
    pixels.set(part.images, start * h * w * c);
    if (masks && part.masks) masks.set(part.masks, start * h * w);
  }
  return {
    kind: 'ImageSet',
    images: tf.tensor4d(pixels, [n, h, w, c], 'float32'),
    masks: masks ? tf.tensor4d(masks, [n, h, w, 1], 'float32') : null,
    labels: set.labels,
    names: set.names,
    summary: set.summary,
  };
}
