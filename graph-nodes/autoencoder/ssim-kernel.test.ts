import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { createRng } from '../core/random';
import { disposeOutputs } from '../../workers/engine/values';
import { testContext } from '../../tests/unit/helpers/context';
import { autoencoderNode } from './definition';
import { autoencoderKernel } from './kernel';
import { SSIM_C1, SSIM_C2, ssim, ssimLoss, ssimMap, ssimWindowSize, ssimWindowTaps } from './ssim-kernel';

const rand = (shape: [number, number, number, number], seed: number) => {
  const rng = createRng(seed);
  return tf.tensor4d(Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.next()), shape);
};

/** Direct float64 SSIM of one single-channel h×w pair: 2-D Gaussian window at every valid position, as in the paper. */
function referenceSsim(x: number[], y: number[], h: number, w: number): number {
  const k = ssimWindowSize(h, w);
  const t = ssimWindowTaps(k);
  let total = 0;
  let count = 0;
  for (let i = 0; i + k <= h; i++) {
    for (let j = 0; j + k <= w; j++) {
      let mx = 0, my = 0, sxx = 0, syy = 0, sxy = 0;
      for (let a = 0; a < k; a++) {
        for (let b = 0; b < k; b++) {
          const g = t[a]! * t[b]!;
          const u = x[(i + a) * w + j + b]!;
          const v = y[(i + a) * w + j + b]!;
          mx += g * u;
          my += g * v;
          sxx += g * u * u;
          syy += g * v * v;
          sxy += g * u * v;
        }
      }
      const vx = sxx - mx * mx;
      const vy = syy - my * my;
      const cxy = sxy - mx * my;
      total += ((2 * mx * my + SSIM_C1) * (2 * cxy + SSIM_C2)) / ((mx * mx + my * my + SSIM_C1) * (vx + vy + SSIM_C2));
      count++;
    }
  }
  return total / count;
}

describe('SSIM', () => {
  it('uses the paper window: 11 Gaussian taps, σ = 1.5, summing to 1; smaller images get the largest odd window that fits', () => {
    const taps = ssimWindowTaps();
    expect(taps).toHaveLength(11);
    expect(taps.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(taps[5]! / taps[4]!).toBeCloseTo(Math.exp(1 / (2 * 1.5 * 1.5)), 12);
    expect([ssimWindowSize(64, 64), ssimWindowSize(8, 16), ssimWindowSize(10, 10)]).toEqual([11, 7, 9]);
  });

  it('SSIM(x, x) = 1 and SSIM is symmetric', () => {
    const x = rand([2, 16, 16, 1], 1);
    const y = rand([2, 16, 16, 1], 2);
    const before = tf.memory().numTensors;
    const self = ssim(x, x);
    const xy = ssim(x, y);
    const yx = ssim(y, x);
    for (const v of self.dataSync()) expect(v).toBeCloseTo(1, 5);
    expect(Array.from(xy.dataSync())).toEqual(Array.from(yx.dataSync()).map((v) => expect.closeTo(v, 6)));
    expect(xy.dataSync()[0]!).toBeLessThan(0.2); // independent noise is structurally dissimilar
    tf.dispose([self, xy, yx]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, y]);
  });

  it('two constant images: (2μxμy + C1)/(μx² + μy² + C1) (hand-checked)', () => {
    const a = 0.6;
    const b = 0.3;
    const x = tf.fill([1, 12, 12, 1], a) as tf.Tensor4D;
    const y = tf.fill([1, 12, 12, 1], b) as tf.Tensor4D;
    // 2·0.18 + 1e-4 = 0.3601; 0.36 + 0.09 + 1e-4 = 0.4501 → 0.80004…
    const expected = (2 * a * b + SSIM_C1) / (a * a + b * b + SSIM_C1);
    expect(expected).toBeCloseTo(0.3601 / 0.4501, 12);
    const s = ssim(x, y);
    expect(s.dataSync()[0]!).toBeCloseTo(expected, 4);
    const map = ssimMap(x, y);
    expect(map.shape).toEqual([1, 2, 2, 1]); // 12 − 11 + 1 valid positions per side
    tf.dispose([x, y, s, map]);
  });

  it('matches a direct float64 computation on random images (incl. a window smaller than 11)', () => {
    for (const [h, w] of [[14, 13], [8, 9]] as const) {
      const x = rand([1, h, w, 1], 3);
      const y = tf.tidy(() => tf.clipByValue(tf.add(x, tf.mul(0.2, rand([1, h, w, 1], 4))), 0, 1)) as tf.Tensor4D;
      const s = ssim(x, y);
      expect(s.dataSync()[0]!).toBeCloseTo(referenceSsim(Array.from(x.dataSync()), Array.from(y.dataSync()), h, w), 4);
      tf.dispose([x, y, s]);
    }
  });

  it('averages SSIM over channels', () => {
    // Channel 0 identical (SSIM 1), channel 1 constants 0.6 vs 0.3 (closed form) → mean of the two.
    const x = tf.tidy(() => tf.concat([rand([1, 12, 12, 1], 5), tf.fill([1, 12, 12, 1], 0.6)], 3)) as tf.Tensor4D;
    const y = tf.tidy(() => tf.concat([tf.slice(x, [0, 0, 0, 0], [1, 12, 12, 1]), tf.fill([1, 12, 12, 1], 0.3)], 3)) as tf.Tensor4D;
    const s = ssim(x, y);
    expect(s.dataSync()[0]!).toBeCloseTo((1 + 0.3601 / 0.4501) / 2, 4);
    tf.dispose([x, y, s]);
  });

  it('rejects images of different shapes', () => {
    const x = tf.zeros([1, 12, 12, 1]) as tf.Tensor4D;
    const y = tf.zeros([1, 12, 13, 1]) as tf.Tensor4D;
    expect(() => ssim(x, y)).toThrow(/same shape/);
    tf.dispose([x, y]);
  });

  it('is differentiable: 1 − SSIM falls when a free image is optimised towards a target', () => {
    const target = tf.tidy(() => tf.conv2d(rand([1, 16, 16, 1], 6), tf.fill([3, 3, 1, 1], 1 / 9) as tf.Tensor4D, 1, 'same')) as tf.Tensor4D;
    const v = tf.variable(tf.zeros([1, 16, 16, 1]));
    const before = tf.memory().numTensors;
    const opt = tf.train.adam(0.05);
    const grad = tf.grad((z: tf.Tensor) => ssimLoss(target, tf.sigmoid(z) as tf.Tensor4D))(v);
    expect(Number.isFinite(grad.dataSync()[0]!)).toBe(true);
    expect(tf.max(tf.abs(grad)).dataSync()[0]!).toBeGreaterThan(0);
    const losses: number[] = [];
    for (let i = 0; i < 30; i++) {
      const l = opt.minimize(() => ssimLoss(target, tf.sigmoid(v) as tf.Tensor4D), true)!;
      losses.push(l.dataSync()[0]!);
      l.dispose();
    }
    expect(losses.at(-1)!).toBeLessThan(losses[0]! * 0.5);
    opt.dispose();
    tf.dispose([target, v, grad]);
    expect(tf.memory().numTensors).toBeLessThanOrEqual(before);
  });

  it('trains the AutoEncoder with loss = ssim (loss falls, nothing leaks)', async () => {
    const rng = createRng(1);
    const n = 16;
    const data = new Float32Array(n * 16 * 16);
    for (let i = 0; i < n; i++) {
      const cx = rng.uniform(4, 12);
      const cy = rng.uniform(4, 12);
      for (let y = 0; y < 16; y++) for (let x = 0; x < 16; x++) data[i * 256 + y * 16 + x] = Math.exp(-((x - cx) ** 2 + (y - cy) ** 2) / 18);
    }
    const train = {
      kind: 'ImageSet' as const,
      images: tf.tensor4d(data, [n, 16, 16, 1]),
      labels: new Int8Array(n),
      names: Array.from({ length: n }, (_, i) => `b${i}`),
      masks: null,
      summary: { source: 'blobs', loaded: n, skipped: [], perClass: {} },
    };
    const before = tf.memory().numTensors;
    const params = autoencoderNode.params.parse({ channels: [4, 8], codeChannels: 4, epochs: 5, batchSize: 8, learningRate: 0.01, loss: 'ssim' });
    const out = await autoencoderKernel.run({ train, images: train }, params, testContext().ctx);
    const losses = out.model.losses!;
    expect(losses.every((l) => l >= 0 && l <= 2)).toBe(true);
    expect(losses.at(-1)!).toBeLessThan(losses[0]!);
    disposeOutputs(out);
    expect(tf.memory().numTensors).toBe(before);
    train.images.dispose();
  });
});
