/**
 * AutoEncoder node: trains the lecture's conv AutoEncoder (model.ts) on the normal training images with Adam
 * and MSE, L1 or SSIM loss (1 − mean SSIM, Wang et al. 2004; ssim-kernel.ts), yielding between batches
 * (cancellation, live loss curve), then reconstructs and encodes the images to score.
 * Shapes: train [N,H,W,C], images [M,H,W,C] → recon [M,H,W,C], codes [M,D], trainCodes [N,D].
 * A NaN/Inf loss stops training with NAN_LOSS and the last finite loss.
 */
import * as tf from '@tensorflow/tfjs';
import { KizukiError } from '../core/errors';
import { defineKernel, throwIfAborted } from '../core/kernel-types';
import { createRng, shuffledIndices } from '../core/random';
import { mixedIndices, thumbnails } from '../core/tensor-preview';
import { autoencoderNode } from './definition';
import { buildAutoEncoder, predictInBatches, reconstructionSet } from './model';
import { ssimLoss } from './ssim-kernel';

export const autoencoderKernel = defineKernel(autoencoderNode, {
  async run({ train, images }, params, ctx) {
    const [, h, w, c] = train.images.shape;
    if (images.images.shape.slice(1).join() !== train.images.shape.slice(1).join()) {
      throw new KizukiError('SHAPE_MISMATCH', {
        nodeId: ctx.nodeId,
        what: `training images are ${h}×${w}×${c} but images to score are ${images.images.shape.slice(1).join('×')}`,
      });
    }
    let net;
    try {
      net = buildAutoEncoder({ inputShape: [h, w, c], channels: params.channels, codeChannels: params.codeChannels, seed: params.seed });
    } catch (err) {
      throw new KizukiError('INVALID_PARAM', { nodeId: ctx.nodeId, field: 'channels', reason: (err as Error).message });
    }
    const { autoencoder, encoder } = net;
    const optimizer = tf.train.adam(params.learningRate);
    const n = train.images.shape[0];
    const batchSize = Math.min(params.batchSize, n);
    const stepsPerEpoch = Math.ceil(n / batchSize);
    const rng = createRng(params.seed + 1);
    const losses: number[] = [];
    let lastFinite = NaN;
    try {
      for (let epoch = 1; epoch <= params.epochs; epoch++) {
        const order = shuffledIndices(n, rng);
        let sum = 0;
        for (let step = 0; step < stepsPerEpoch; step++) {
          throwIfAborted(ctx.signal);
          const idx = order.slice(step * batchSize, (step + 1) * batchSize);
          const lossT = tf.tidy(() => {
            const batch = tf.gather(train.images, idx) as tf.Tensor4D;
            return optimizer.minimize(() => {
              const out = autoencoder.apply(batch, { training: true }) as tf.Tensor4D;
              if (params.loss === 'ssim') return ssimLoss(batch, out);
              return params.loss === 'l1' ? tf.mean(tf.abs(tf.sub(batch, out))) : tf.mean(tf.square(tf.sub(batch, out)));
            }, true) as tf.Scalar;
          });
          const loss = (await lossT.data())[0]!;
          lossT.dispose();
          if (!Number.isFinite(loss)) {
            throw new KizukiError('NAN_LOSS', { nodeId: ctx.nodeId, epoch, loss: String(loss), lastFiniteLoss: Number.isFinite(lastFinite) ? lastFinite.toPrecision(4) : 'none' });
          }
          lastFinite = loss;
          sum += loss * idx.length;
          ctx.progress({ fraction: (epoch - 1 + (step + 1) / stepsPerEpoch) / params.epochs, epoch, epochs: params.epochs, loss });
          // Yield so a Stop message (and UI events) can get through between batches.
          await new Promise((resolve) => setTimeout(resolve, 0));
        }
        losses.push(sum / n);
        ctx.livePreview([{ kind: 'loss', epochs: params.epochs, values: [...losses] }]);
      }
      throwIfAborted(ctx.signal);
      const recon = predictInBatches(autoencoder, images.images, 32);
      const codeMaps = predictInBatches(encoder, images.images, 32);
      const codes = tf.reshape(codeMaps, [codeMaps.shape[0], -1]) as tf.Tensor2D;
      codeMaps.dispose();
      const trainCodeMaps = predictInBatches(encoder, train.images, 32);
      const trainCodes = tf.reshape(trainCodeMaps, [trainCodeMaps.shape[0], -1]) as tf.Tensor2D;
      trainCodeMaps.dispose();
      return {
        recon: reconstructionSet(images, recon),
        codes: { kind: 'Embeddings', vectors: codes, labels: images.labels, names: images.names },
        trainCodes: { kind: 'Embeddings', vectors: trainCodes, labels: train.labels, names: train.names },
        model: { kind: 'Model', name: 'AutoEncoder', model: autoencoder, inputShape: [h, w, c], losses },
        encoder: {
          kind: 'FeatureExtractor',
          name: 'AutoEncoder encoder',
          inputShape: [h, w, c],
          extract: (x: tf.Tensor4D) => [encoder.predict(x) as tf.Tensor4D],
          model: encoder,
          // The encoder's layers belong to the autoencoder model; disposing that model frees them.
          dispose: () => {},
        },
      };
    } catch (err) {
      autoencoder.dispose();
      throw err;
    } finally {
      optimizer.dispose();
    }
  },
  async preview({ recon, model }) {
    const losses = model.losses ?? [];
    const indices = mixedIndices(recon.labels, 6);
    return [
      { kind: 'loss', epochs: losses.length, values: losses },
      {
        kind: 'images',
        title: 'Reconstructions x̂',
        total: recon.labels.length,
        images: await thumbnails(recon.images, recon.labels, recon.names, { indices }),
      },
    ];
  },
});
