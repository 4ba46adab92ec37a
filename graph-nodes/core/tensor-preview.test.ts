import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { overlayThumbnails } from './tensor-preview';

describe('overlayThumbnails', () => {
  // Two 2×2 images; maps 0, 1/3, 2/3, 1 (range 0..1), so alpha = opacity·v per pixel.
  const images = () => tf.tensor4d([0.2, 0.4, 0.6, 0.8, 1, 1, 1, 1], [2, 2, 2, 1]);
  const maps = () => tf.tensor4d([0, 1 / 3, 2 / 3, 1, 0, 0, 0, 0], [2, 2, 2, 1]);

  it('blends heat over grey with alpha = opacity × value, and hands out both layers to re-blend', async () => {
    const before = tf.memory().numTensors;
    const x = images();
    const m = maps();
    const [first] = await overlayThumbnails(x, m, [0, 1], ['a', 'b'], { indices: [0], range: [0, 1], opacity: 0.5 });
    tf.dispose([x, m]);
    expect(tf.memory().numTensors).toBe(before);
    const { rgba, layers } = first!;
    expect(layers).toBeDefined();
    const { base, heat } = layers!;
    // Pixel 0: value 0 ⇒ no heat at all, the grey image shows (0.2·255 = 51).
    expect([...rgba.slice(0, 4)]).toEqual([51, 51, 51, 255]);
    expect(heat[3]).toBe(0);
    // Pixel 3: value 1 ⇒ heat alpha 255 in the layer; the baked thumbnail is half grey, half heat colour.
    expect(heat[15]).toBe(255);
    expect([...base.slice(12, 16)]).toEqual([204, 204, 204, 255]);
    // Re-blending the layers at the same opacity gives the baked thumbnail (±1 for 8-bit rounding), every pixel.
    for (let p = 0; p < 4; p++) {
      const a = (0.5 * heat[p * 4 + 3]!) / 255;
      for (let c = 0; c < 3; c++) {
        const blended = (1 - a) * base[p * 4 + c]! + a * heat[p * 4 + c]!;
        expect(Math.abs(blended - rgba[p * 4 + c]!)).toBeLessThanOrEqual(1);
      }
    }
  });
});
