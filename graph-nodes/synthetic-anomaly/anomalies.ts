/**
 * Pure pixel code of the synthetic-anomaly node (no tfjs, identical in browser and Node). Each function takes one
 * normal image [H,W,C] (row-major, channels last, 0..1) and returns the altered image and its mask [H,W] in {0,1}.
 * Bright additions are additive, x + a·d capped at 1 (denser tissue adds brightness on a radiograph, as in the
 * image-set phantoms), so a lesion is about as visible over lung as over soft tissue. CutPaste: Li et al., CVPR 2021.
 */
import type { Rng } from '../core/random';
import type { SyntheticKind } from './definition';

export type ImageGeom = { h: number; w: number; c: number };

export type SyntheticOptions = {
  placement: 'body' | 'anywhere';
  noduleRadius: [number, number];
  patchRadius: [number, number];
  intensity: number;
};

export type Synthetic = {
  image: Float32Array;
  mask: Float32Array;
  /** Short description for previews, e.g. "nodule r=3.1px". */
  caption: string;
  /** Set when the kind could not produce a visible change (e.g. mirroring a symmetric image). */
  fallback?: string;
};

/** Mean absolute change (after a 3×3 box blur) above which a mirrored pixel counts as changed. */
export const MIRROR_CHANGE = 0.05;

const smoothstep = (e0: number, e1: number, x: number) => {
  const t = Math.min(1, Math.max(0, (x - e0) / (e1 - e0)));
  return t * t * (3 - 2 * t);
};

/** Grey values (mean over channels), [h·w]; the image itself when it has one channel. */
function greyOf(img: Float32Array, n: number, c: number): Float32Array {
  if (c === 1) return img.length === n ? img : img.subarray(0, n);
  const out = new Float32Array(n);
  for (let p = 0; p < n; p++) {
    let s = 0;
    for (let k = 0; k < c; k++) s += img[p * c + k]!;
    out[p] = s / c;
  }
  return out;
}

/** Otsu's threshold (64 bins over the image's own range); null for a (nearly) constant image. */
export function otsuThreshold(values: ArrayLike<number>): number | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!(hi - lo > 1e-6)) return null;
  const bins = 64;
  const hist = new Float64Array(bins);
  const scale = bins / (hi - lo);
  for (let i = 0; i < values.length; i++) {
    const b = ((values[i]! - lo) * scale) | 0;
    hist[b < bins ? b : bins - 1]!++;
  }
  const total = values.length;
  let sumAll = 0;
  for (let b = 0; b < bins; b++) sumAll += b * hist[b]!;
  let wB = 0;
  let sumB = 0;
  let best = -1;
  let bestB = 0;
  for (let b = 0; b < bins - 1; b++) {
    wB += hist[b]!;
    sumB += b * hist[b]!;
    const wF = total - wB;
    if (wB === 0 || wF === 0) continue;
    const between = wB * wF * (sumB / wB - (sumAll - sumB) / wF) ** 2;
    if (between > best) {
      best = between;
      bestB = b;
    }
  }
  return lo + ((bestB + 1) / bins) * (hi - lo);
}

/**
 * Body region: in each row, every pixel from the first to the last one brighter than the image's Otsu threshold.
 * On a radiograph the bright soft tissue and bone enclose the dark lungs, so the row span covers the lungs too,
 * while the dark air around the patient stays out. All pixels when the image is constant.
 */
export function bodyRegion(img: Float32Array, g: ImageGeom): Uint8Array {
  const { h, w, c } = g;
  const gy = greyOf(img, h * w, c);
  const region = new Uint8Array(h * w);
  const t = otsuThreshold(gy);
  if (t === null) return region.fill(1);
  for (let y = 0; y < h; y++) {
    let first = -1;
    let last = -1;
    for (let x = 0; x < w; x++) {
      if (gy[y * w + x]! > t) {
        if (first < 0) first = x;
        last = x;
      }
    }
    if (first >= 0) region.fill(1, y * w + first, y * w + last + 1);
  }
  return region;
}

/**
 * A random pixel centre at least `margin` pixels from the image border, inside `region` when given (200 tries,
 * then anywhere within the margin).
 */
function pickCentre(rng: Rng, g: ImageGeom, margin: number, region: Uint8Array | null): [number, number] {
  const m = Math.min(Math.ceil(margin), Math.floor((Math.min(g.h, g.w) - 1) / 2));
  const draw = (): [number, number] => [rng.int(m, g.w - 1 - m), rng.int(m, g.h - 1 - m)];
  if (region) {
    for (let tries = 0; tries < 200; tries++) {
      const [x, y] = draw();
      if (region[y * g.w + x]) return [x, y];
    }
  }
  return draw();
}

/** Add density d (0..1) × amplitude a to every channel of pixel p, capped at 1. */
function brighten(img: Float32Array, p: number, c: number, d: number, a: number): void {
  for (let k = 0; k < c; k++) {
    const i = p * c + k;
    const v = img[i]! + a * d;
    img[i] = v < 1 ? v : 1;
  }
}

/** Left-right mirror; mask = pixels whose 3×3-averaged change exceeds MIRROR_CHANGE (whole image if none). */
export function mirror(src: Float32Array, g: ImageGeom): Synthetic {
  const { h, w, c } = g;
  const image = new Float32Array(src.length);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      for (let k = 0; k < c; k++) image[(y * w + x) * c + k] = src[(y * w + (w - 1 - x)) * c + k]!;
    }
  }
  const diff = new Float32Array(h * w);
  for (let p = 0; p < h * w; p++) {
    let s = 0;
    for (let k = 0; k < c; k++) s += Math.abs(image[p * c + k]! - src[p * c + k]!);
    diff[p] = s / c;
  }
  // 3×3 mean over the window clipped to the image, separably: row sums, then column sums of those.
  const rows = new Float32Array(h * w);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const p = y * w + x;
      rows[p] = diff[p]! + (x > 0 ? diff[p - 1]! : 0) + (x < w - 1 ? diff[p + 1]! : 0);
    }
  }
  const mask = new Float32Array(h * w);
  let count = 0;
  for (let y = 0; y < h; y++) {
    const ny = 1 + (y > 0 ? 1 : 0) + (y < h - 1 ? 1 : 0);
    for (let x = 0; x < w; x++) {
      const p = y * w + x;
      const nx = 1 + (x > 0 ? 1 : 0) + (x < w - 1 ? 1 : 0);
      const s = rows[p]! + (y > 0 ? rows[p - w]! : 0) + (y < h - 1 ? rows[p + w]! : 0);
      if (s / (nx * ny) > MIRROR_CHANGE) {
        mask[p] = 1;
        count++;
      }
    }
  }
  if (count === 0) {
    mask.fill(1);
    return { image, mask, caption: 'mirror', fallback: 'left-right symmetric: mirroring changed nothing noticeable' };
  }
  return { image, mask, caption: `mirror ${Math.round((100 * count) / (h * w))}%` };
}

/** 1 − x on every pixel; mask = the whole image (every pixel's value changes, except exact mid-grey). */
export function invert(src: Float32Array, g: ImageGeom): Synthetic {
  const image = src.map((v) => 1 - v);
  return { image, mask: new Float32Array(g.h * g.w).fill(1), caption: 'invert' };
}

/**
 * Soft bright disc: density 1 − smoothstep(0.6r, r, d), amplitude uniform in 0.6–1 × intensity; mask = density ≥ ½
 * (d ≤ 0.8r), which always holds at the centre pixel.
 */
export function nodule(src: Float32Array, g: ImageGeom, rng: Rng, o: SyntheticOptions, region: Uint8Array | null): Synthetic {
  const { h, w } = g;
  const side = Math.min(h, w);
  const r = Math.max(1.5, rng.uniform(o.noduleRadius[0], o.noduleRadius[1]) * side);
  const a = rng.uniform(0.6, 1) * o.intensity;
  const [cx, cy] = pickCentre(rng, g, r, region);
  const image = src.slice();
  const mask = new Float32Array(h * w);
  for (let y = Math.max(0, Math.floor(cy - r)); y <= Math.min(h - 1, Math.ceil(cy + r)); y++) {
    for (let x = Math.max(0, Math.floor(cx - r)); x <= Math.min(w - 1, Math.ceil(cx + r)); x++) {
      const v = 1 - smoothstep(0.6 * r, r, Math.hypot(x - cx, y - cy));
      if (v === 0) continue;
      brighten(image, y * w + x, g.c, v, a);
      if (v >= 0.5) mask[y * w + x] = 1;
    }
  }
  return { image, mask, caption: `nodule r=${r.toFixed(1)}px` };
}

/** Smooth value noise in 0..1 on a cells×cells lattice over [0,1]² (smoothstep-interpolated). */
function valueNoise(rng: Rng, cells: number): (u: number, v: number) => number {
  const n = cells + 1;
  const lattice = Float32Array.from({ length: n * n }, () => rng.next());
  return (u, v) => {
    const fx = Math.min(Math.max(u, 0), 1) * cells;
    const fy = Math.min(Math.max(v, 0), 1) * cells;
    const ix = Math.min(Math.floor(fx), cells - 1);
    const iy = Math.min(Math.floor(fy), cells - 1);
    const tx = smoothstep(0, 1, fx - ix);
    const ty = smoothstep(0, 1, fy - iy);
    const a = lattice[iy * n + ix]!;
    const b = lattice[iy * n + ix + 1]!;
    const c = lattice[(iy + 1) * n + ix]!;
    const d = lattice[(iy + 1) * n + ix + 1]!;
    return a + (b - a) * tx + (c - a) * ty + (a - b - c + d) * tx * ty;
  };
}

/**
 * Patchy opacity (a cloud like pneumonic consolidation): a rotated ellipse (radius R, aspect 0.6–1.6) whose
 * density is its soft envelope × (0.35 + 0.65 × two-octave value noise); mask = density ≥ 0.3 (always the centre).
 */
export function patch(src: Float32Array, g: ImageGeom, rng: Rng, o: SyntheticOptions, region: Uint8Array | null): Synthetic {
  const { h, w } = g;
  const side = Math.min(h, w);
  const R = Math.max(2, rng.uniform(o.patchRadius[0], o.patchRadius[1]) * side);
  const aspect = rng.uniform(0.6, 1.6);
  const theta = rng.uniform(0, Math.PI);
  const a = rng.uniform(0.6, 1) * o.intensity;
  const coarse = valueNoise(rng, 3);
  const fine = valueNoise(rng, 7);
  const rx = R * Math.sqrt(aspect);
  const ry = R / Math.sqrt(aspect);
  const reach = Math.max(rx, ry);
  const [cx, cy] = pickCentre(rng, g, reach * 0.5, region);
  const cos = Math.cos(theta);
  const sin = Math.sin(theta);
  const image = src.slice();
  const mask = new Float32Array(h * w);
  for (let y = Math.max(0, Math.floor(cy - reach)); y <= Math.min(h - 1, Math.ceil(cy + reach)); y++) {
    for (let x = Math.max(0, Math.floor(cx - reach)); x <= Math.min(w - 1, Math.ceil(cx + reach)); x++) {
      const dx = x - cx;
      const dy = y - cy;
      const rho = Math.hypot((dx * cos + dy * sin) / rx, (-dx * sin + dy * cos) / ry);
      const env = 1 - smoothstep(0.5, 1, rho);
      if (env === 0) continue;
      // Noise coordinates over the patch's bounding square, so the texture scales with the patch.
      const u = (dx / reach + 1) / 2;
      const v = (dy / reach + 1) / 2;
      const tex = (2 * coarse(u, v) + fine(u, v)) / 3;
      const d = env * (0.35 + 0.65 * tex);
      brighten(image, y * w + x, g.c, d, a);
      if (d >= 0.3) mask[y * w + x] = 1;
    }
  }
  return { image, mask, caption: `patch R=${R.toFixed(1)}px` };
}

/**
 * CutPaste (Li et al., CVPR 2021): cut a rectangle (area (2s)², s uniform in the patch radius range; aspect ratio
 * log-uniform in [0.3, 3.3] as in the paper) from a random place, jitter its brightness by up to ±0.1 (the paper's
 * colour jitter, grey part), and paste it elsewhere, preferring a place that does not overlap the source.
 * Mask = the pasted rectangle.
 */
export function cutpaste(src: Float32Array, g: ImageGeom, rng: Rng, o: SyntheticOptions, region: Uint8Array | null): Synthetic {
  const { h, w, c } = g;
  const side = Math.min(h, w);
  const s = Math.max(1, rng.uniform(o.patchRadius[0], o.patchRadius[1]) * side);
  const ratio = Math.exp(rng.uniform(Math.log(0.3), Math.log(3.3)));
  const area = 4 * s * s;
  const pw = Math.max(1, Math.min(w - 1, Math.round(Math.sqrt(area * ratio))));
  const ph = Math.max(1, Math.min(h - 1, Math.round(Math.sqrt(area / ratio))));
  const jitter = rng.uniform(-0.1, 0.1);
  const sx = rng.int(0, w - pw);
  const sy = rng.int(0, h - ph);
  let dx = rng.int(0, w - pw);
  let dy = rng.int(0, h - ph);
  for (let tries = 0; tries < 100; tries++) {
    const apart = Math.abs(dx - sx) >= pw || Math.abs(dy - sy) >= ph;
    const centre = (dy + (ph >> 1)) * w + dx + (pw >> 1);
    if (apart && (!region || region[centre])) break;
    dx = rng.int(0, w - pw);
    dy = rng.int(0, h - ph);
  }
  const image = src.slice();
  const mask = new Float32Array(h * w);
  for (let y = 0; y < ph; y++) {
    for (let x = 0; x < pw; x++) {
      const to = (dy + y) * w + dx + x;
      const from = (sy + y) * w + sx + x;
      mask[to] = 1;
      for (let k = 0; k < c; k++) image[to * c + k] = Math.min(1, Math.max(0, src[from * c + k]! + jitter));
    }
  }
  return { image, mask, caption: `cutpaste ${pw}×${ph}px` };
}

export function makeSynthetic(
  kind: SyntheticKind,
  src: Float32Array,
  g: ImageGeom,
  rng: Rng,
  o: SyntheticOptions,
): Synthetic {
  const region = o.placement === 'body' && (kind === 'nodule' || kind === 'patch' || kind === 'cutpaste') ? bodyRegion(src, g) : null;
  switch (kind) {
    case 'mirror':
      return mirror(src, g);
    case 'invert':
      return invert(src, g);
    case 'nodule':
      return nodule(src, g, rng, o, region);
    case 'patch':
      return patch(src, g, rng, o, region);
    case 'cutpaste':
      return cutpaste(src, g, rng, o, region);
  }
}
