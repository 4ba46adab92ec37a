import { describe, expect, it } from 'vitest';
import { generatePhantom, generatePhantoms, phantomPlan, type PhantomKind } from './phantoms';
import { anomalyKinds } from './definition';

const meanWhere = (img: Float32Array, mask: Float32Array, want = 1) => {
  let s = 0;
  let n = 0;
  for (let i = 0; i < img.length; i++) {
    if (mask[i] === want) {
      s += img[i]!;
      n++;
    }
  }
  return s / n;
};
/** Mean column of the mask's pixels, in pixels. */
const centroidX = (mask: Float32Array, size: number) => {
  let s = 0;
  let n = 0;
  mask.forEach((m, i) => {
    if (m > 0) {
      s += i % size;
      n++;
    }
  });
  return s / n;
};
const flip = (a: Float32Array, size: number) => {
  const out = a.slice();
  for (let y = 0; y < size; y++) out.subarray(y * size, (y + 1) * size).reverse();
  return out;
};

describe('phantomPlan', () => {
  it('puts normals first, cycles the anomaly kinds and names the files', () => {
    const plan = phantomPlan({ normals: 2, anomalies: 5, kinds: ['nodule', 'inverted'] });
    expect(plan.map((p) => p.kind)).toEqual(['normal', 'normal', 'nodule', 'inverted', 'nodule', 'inverted', 'nodule']);
    expect(plan[0]!.name).toBe('phantom-0000-normal.png');
    expect(plan[3]!.name).toBe('phantom-0003-inverted.png');
    expect(plan.map((p) => p.label)).toEqual([0, 0, 1, 1, 1, 1, 1]);
  });
});

describe('generatePhantoms', () => {
  const opts = { normals: 6, anomalies: 8, kinds: anomalyKinds, size: 64, seed: 7 };

  it('is deterministic for a seed and differs between seeds', () => {
    const a = generatePhantoms(opts);
    const b = generatePhantoms(opts);
    const c = generatePhantoms({ ...opts, seed: 8 });
    expect(Buffer.from(a.images.buffer).equals(Buffer.from(b.images.buffer))).toBe(true);
    expect(Buffer.from(a.masks.buffer).equals(Buffer.from(b.masks.buffer))).toBe(true);
    expect(Buffer.from(a.images.buffer).equals(Buffer.from(c.images.buffer))).toBe(false);
    expect(a.names).toEqual(b.names);
  });

  it('varies anatomy between normals', () => {
    const { images } = generatePhantoms({ ...opts, anomalies: 0 });
    const px = 64 * 64;
    const first = images.subarray(0, px);
    for (let k = 1; k < 6; k++) {
      const other = images.subarray(k * px, (k + 1) * px);
      let diff = 0;
      for (let i = 0; i < px; i++) diff += Math.abs(other[i]! - first[i]!);
      expect(diff / px).toBeGreaterThan(0.02);
    }
  });

  it.each([16, 64, 256])('keeps values in [0,1] and masks inside the image at size %i', (size) => {
    const set = generatePhantoms({ ...opts, normals: 2, anomalies: 4, size });
    const px = size * size;
    expect(set.images.length).toBe(6 * px);
    expect(set.masks.length).toBe(6 * px);
    expect(set.images.every((v) => v >= 0 && v <= 1 && Number.isFinite(v))).toBe(true);
    expect(set.masks.every((v) => v === 0 || v === 1)).toBe(true);
    for (let k = 0; k < 6; k++) {
      const area = set.masks.subarray(k * px, (k + 1) * px).reduce((s, v) => s + v, 0);
      if (set.labels[k] === 0) expect(area).toBe(0);
      else {
        expect(area).toBeGreaterThan(0);
        expect(area).toBeLessThan(px * 0.5);
      }
    }
    expect(Array.from(set.labels)).toEqual([0, 0, 1, 1, 1, 1]);
    expect(set.kinds).toEqual(['normal', 'normal', 'nodule', 'opacity', 'mirrored', 'inverted']);
  });

  it('generates 64 images of 64 px quickly', () => {
    const t0 = performance.now();
    generatePhantoms({ normals: 48, anomalies: 16, kinds: anomalyKinds, size: 64, seed: 1 });
    expect(performance.now() - t0).toBeLessThan(2500);
  });
});

describe('phantom anatomy', () => {
  // Mirrored and inverted phantoms draw the same anatomy and noise as the normal with the same index,
  // so their masks give the heart and lung regions of that normal image.
  const at = (kind: PhantomKind, size: number, index = 3) => generatePhantom({ seed: 11, index, kind, size });

  it.each([64, 256])('has dark lungs, a bright heart on the image right, and a dark background (%i px)', (size) => {
    const normal = at('normal', size).image;
    const lungs = at('inverted', size).mask;
    const heart = flip(at('mirrored', size).mask, size);
    const lungMean = meanWhere(normal, lungs);
    const heartMean = meanWhere(normal, heart);
    expect(lungMean).toBeLessThan(heartMean - 0.15);
    // Heart on the patient's left = image right.
    expect(centroidX(heart, size)).toBeGreaterThan(size / 2);
    // Air in the top corners is darker than the lungs.
    expect(normal[2 * size + 1]!).toBeLessThan(lungMean);
  });

  it('mirrored flips the film so the heart sits on the image left', () => {
    const size = 64;
    const normal = at('normal', size);
    const mirrored = at('mirrored', size);
    expect(Array.from(mirrored.image)).toEqual(Array.from(flip(normal.image, size)));
    expect(centroidX(mirrored.mask, size)).toBeLessThan(size / 2);
    // Where the normal film has lung, the mirrored one now has the bright heart.
    const lungs = at('inverted', size).mask;
    const swapped = mirrored.mask.map((m, i) => m * lungs[i]!);
    expect(swapped.some((m) => m > 0)).toBe(true);
    expect(meanWhere(mirrored.image, swapped)).toBeGreaterThan(meanWhere(normal.image, swapped) + 0.1);
  });

  it('inverted is 1 - x of the normal film, masked over the lungs', () => {
    const size = 64;
    const normal = at('normal', size).image;
    const inv = at('inverted', size);
    for (let i = 0; i < normal.length; i++) expect(inv.image[i]!).toBeCloseTo(1 - normal[i]!, 5);
    expect(meanWhere(inv.image, inv.mask)).toBeGreaterThan(0.6);
  });

  it.each(['nodule', 'opacity'] as const)('%s is brighter than the lung around it', (kind) => {
    for (let index = 0; index < 6; index++) {
      const { image, mask } = at(kind, 128, index);
      const lungs = at('inverted', 128, index).mask;
      // Most of the lesion lies in the lungs.
      let inLung = 0;
      let area = 0;
      mask.forEach((m, i) => {
        area += m;
        inLung += m * lungs[i]!;
      });
      expect(inLung / area).toBeGreaterThan(0.8);
      const lesion = meanWhere(image, mask);
      const lungOnly = lungs.map((l, i) => (l === 1 && mask[i] === 0 ? 1 : 0));
      expect(lesion).toBeGreaterThan(meanWhere(image, lungOnly) + 0.05);
    }
  });
});
