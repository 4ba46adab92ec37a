/**
 * The lecture's convolutional AutoEncoder. Encoder: one 3×3 stride-2 conv (ReLU) per entry of `channels`,
 * then a 3×3 conv to `codeChannels` (linear) — e.g. 256×256×1 → 128²×16 → … → 8²×256 → code. Decoder mirrors
 * it with 3×3 stride-2 transposed convs (ReLU) and a final 3×3 conv to C channels with a sigmoid (0..1 pixels).
 * Shapes: input [N,H,W,C] → code [N,H/2^L,W/2^L,codeChannels] → output [N,H,W,C]. Weights seeded.
 */
import * as tf from '@tensorflow/tfjs';
import type { ImageSetValue } from '../core/kernel-types';

export type AutoEncoderSpec = {
  inputShape: [number, number, number];
  channels: number[];
  codeChannels: number;
  seed: number;
};

export type AutoEncoder = { autoencoder: tf.LayersModel; encoder: tf.LayersModel };

export function buildAutoEncoder(spec: AutoEncoderSpec): AutoEncoder {
  const [h, w, c] = spec.inputShape;
  const factor = 2 ** spec.channels.length;
  if (h % factor !== 0 || w % factor !== 0) {
    throw new Error(`image size ${h}×${w} must be divisible by 2^${spec.channels.length} = ${factor} (one halving per encoder layer)`);
  }
  let seed = spec.seed * 7919;
  const init = () => tf.initializers.glorotUniform({ seed: seed++ });
  const input = tf.input({ shape: spec.inputShape });
  let x = input as tf.SymbolicTensor;
  spec.channels.forEach((ch, i) => {
    x = tf.layers
      .conv2d({ filters: ch, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', kernelInitializer: init(), name: `enc_conv${i + 1}` })
      .apply(x) as tf.SymbolicTensor;
  });
  const code = tf.layers
    .conv2d({ filters: spec.codeChannels, kernelSize: 3, padding: 'same', kernelInitializer: init(), name: 'code' })
    .apply(x) as tf.SymbolicTensor;
  let y = code;
  [...spec.channels].reverse().forEach((ch, i) => {
    y = tf.layers
      .conv2dTranspose({ filters: ch, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', kernelInitializer: init(), name: `dec_deconv${i + 1}` })
      .apply(y) as tf.SymbolicTensor;
  });
  const output = tf.layers
    .conv2d({ filters: c, kernelSize: 3, padding: 'same', activation: 'sigmoid', kernelInitializer: init(), name: 'recon' })
    .apply(y) as tf.SymbolicTensor;
  return {
    autoencoder: tf.model({ inputs: input, outputs: output, name: 'autoencoder' }),
    encoder: tf.model({ inputs: input, outputs: code, name: 'encoder' }),
  };
}

/** Apply a model in batches (bounded memory); returns one concatenated tensor. */
export function predictInBatches(model: tf.LayersModel, images: tf.Tensor4D, batchSize: number): tf.Tensor4D {
  return tf.tidy(() => {
    const n = images.shape[0];
    const parts: tf.Tensor4D[] = [];
    for (let start = 0; start < n; start += batchSize) {
      const size = Math.min(batchSize, n - start);
      const batch = tf.slice(images, [start, 0, 0, 0], [size, -1, -1, -1]);
      parts.push(model.predict(batch) as tf.Tensor4D);
    }
    return parts.length === 1 ? parts[0]! : (tf.concat(parts, 0) as tf.Tensor4D);
  });
}

/** Reconstructions as an image set that keeps the originals' labels, names and (cloned) masks. */
export function reconstructionSet(images: ImageSetValue, recon: tf.Tensor4D): ImageSetValue {
  return {
    kind: 'ImageSet',
    images: recon,
    labels: images.labels,
    names: images.names,
    masks: images.masks ? images.masks.clone() : null,
    summary: { ...images.summary, source: `reconstructions of ${images.summary.source}` },
  };
}
