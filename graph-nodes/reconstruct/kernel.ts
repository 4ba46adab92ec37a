/**
 * Reconstruct: x̂ = f(x) for a trained image-to-image Model f (the lecture's AutoEncoder), predicted in batches.
 * Shapes: images [N,H,W,C] with [H,W,C] = model.inputShape → recon [N,H,W,C]; labels, names and masks are
 * carried over (masks cloned). The preview shows reconstructions captioned with their mean |x − x̂|.
 */
import * as tf from '@tensorflow/tfjs';
import { predictInBatches, reconstructionSet } from '../autoencoder/model';
import { KizukiError } from '../core/errors';
import { defineKernel, throwIfAborted, type ImageSetValue } from '../core/kernel-types';
import { mixedIndices, thumbnails } from '../core/tensor-preview';
import { reconstructNode } from './definition';

/** Per-image mean |x − x̂| of each run, for the preview captions; keyed by the output value. */
const meanResidualOf = new WeakMap<ImageSetValue, Float32Array>();

export const reconstructKernel = defineKernel(reconstructNode, {
  async run({ model, images }, params, ctx) {
    const shape = images.images.shape.slice(1).join('×');
    const expected = model.inputShape.join('×');
    if (shape !== expected) {
      throw new KizukiError('SHAPE_MISMATCH', {
        nodeId: ctx.nodeId,
        what: `the model "${model.name}" takes ${expected} images but the connected images are ${shape}`,
        hint: 'Load the images at the size and channel count the model was trained on (image set: size, grayscale).',
      });
    }
    const outShape = model.model.outputs[0]?.shape ?? [];
    if (outShape.length !== 4 || outShape.slice(1).join('×') !== expected) {
      throw new KizukiError('SHAPE_MISMATCH', {
        nodeId: ctx.nodeId,
        what: `the model "${model.name}" outputs [${outShape.map((d) => d ?? 'N').join(', ')}], not images of its input shape ${expected}`,
        hint: 'Connect the model output of an AutoEncoder (a network that maps images to images).',
      });
    }
    throwIfAborted(ctx.signal);
    const recon = predictInBatches(model.model, images.images, params.batchSize);
    const residualT = tf.tidy(() => tf.mean(tf.reshape(tf.abs(tf.sub(images.images, recon)), [recon.shape[0], -1]), 1));
    const residual = (await residualT.data()) as Float32Array;
    residualT.dispose();
    ctx.progress({ fraction: 1 });
    const value = reconstructionSet(images, recon);
    meanResidualOf.set(value, Float32Array.from(residual));
    return { recon: value };
  },
  async preview({ recon }) {
    const indices = mixedIndices(recon.labels, 6);
    const residual = meanResidualOf.get(recon);
    return [
      {
        kind: 'images',
        title: 'Reconstructions x̂ (caption: mean |x − x̂|)',
        total: recon.labels.length,
        images: await thumbnails(recon.images, recon.labels, recon.names, {
          indices,
          ...(residual ? { captions: indices.map((i) => residual[i]!.toFixed(4)) } : {}),
        }),
      },
    ];
  },
});
