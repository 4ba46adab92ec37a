/**
 * Seeded procedural chest-radiograph phantoms (PA view, viewed normally: the patient's left is the image right).
 * Pure TypeScript and Math only, so the browser and Node produce the same bytes for the same seed.
 * X-ray convention: dense = bright (bone, heart, soft tissue), air = dark (lungs, background).
 * Geometry lives in normalised coordinates (u,v in 0..1) so an image looks the same at 64 and at 256 pixels.
 */
import { createRng, type Rng } from '../core/random';
import type { AnomalyKind } from './definition';

export type PhantomKind = AnomalyKind | 'normal';

export type PhantomSpec = {
  /** Position in the full set (normals first, then anomalies); the image depends only on (seed, index, kind, size). */
  index: number;
  kind: PhantomKind;
  name: string;
  label: 0 | 1;
};

export type PhantomSetOptions = {
  normals: number;
  anomalies: number;
  /** Anomaly kinds, used in turn. */
  kinds: readonly AnomalyKind[];
  size: number;
  seed: number;
};

export type PhantomSet = {
  /** N*size*size grey values in 0..1, image after image, row-major. */
  images: Float32Array;
  /** N*size*size, 1 inside the anomaly, 0 elsewhere (all 0 for normals). */
  masks: Float32Array;
  labels: Int8Array;
  names: string[];
  kinds: PhantomKind[];
};

/** The images of a set, in order, without generating pixels (lets the kernel filter before the work). */
export function phantomPlan(opts: { normals: number; anomalies: number; kinds: readonly AnomalyKind[] }): PhantomSpec[] {
  if (opts.anomalies > 0 && opts.kinds.length === 0) throw new Error('phantoms: anomalies requested but no anomaly kinds given');
  const plan: PhantomSpec[] = [];
  const total = opts.normals + opts.anomalies;
  for (let index = 0; index < total; index++) {
    const kind: PhantomKind = index < opts.normals ? 'normal' : opts.kinds[(index - opts.normals) % opts.kinds.length]!;
    const name = `phantom-${String(index).padStart(4, '0')}-${kind}.png`;
    plan.push({ index, kind, name, label: kind === 'normal' ? 0 : 1 });
  }
  return plan;
}

export function generatePhantoms(opts: PhantomSetOptions): PhantomSet {
  const plan = phantomPlan(opts);
  const px = opts.size * opts.size;
  const images = new Float32Array(plan.length * px);
  const masks = new Float32Array(plan.length * px);
  plan.forEach((spec, i) => {
    const one = generatePhantom({ seed: opts.seed, index: spec.index, kind: spec.kind, size: opts.size });
    images.set(one.image, i * px);
    masks.set(one.mask, i * px);
  });
  return {
    images,
    masks,
    labels: Int8Array.from(plan, (s) => s.label),
    names: plan.map((s) => s.name),
    kinds: plan.map((s) => s.kind),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Helpers

const clamp01 = (x: number) => (x < 0 ? 0 : x > 1 ? 1 : x);
// `x ** 2` compiles to a pow() call in V8's optimiser; a product is several times cheaper in these per-pixel loops.
const sq = (x: number) => x * x;
function smoothstep(e0: number, e1: number, x: number): number {
  const t = clamp01((x - e0) / (e1 - e0));
  return t * t * (3 - 2 * t);
}

/** Per-image seed: mixes the set seed with the image index so image i is the same whatever else is generated. */
function imageSeed(seed: number, index: number): number {
  let h = (seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

type Noise2 = (u: number, v: number) => number;

/** Smooth value noise in 0..1 on a freq×freq lattice over the unit square. */
function valueNoise(rng: Rng, freq: number): Noise2 {
  const n = freq + 1;
  const lattice = new Float32Array(n * n);
  for (let i = 0; i < lattice.length; i++) lattice[i] = rng.next();
  return (u, v) => {
    const fx = clamp01(u) * freq;
    const fy = clamp01(v) * freq;
    const ix = Math.min(Math.floor(fx), freq - 1);
    const iy = Math.min(Math.floor(fy), freq - 1);
    let tx = fx - ix;
    let ty = fy - iy;
    tx = tx * tx * (3 - 2 * tx);
    ty = ty * ty * (3 - 2 * ty);
    const a = lattice[iy * n + ix]!;
    const b = lattice[iy * n + ix + 1]!;
    const c = lattice[(iy + 1) * n + ix]!;
    const d = lattice[(iy + 1) * n + ix + 1]!;
    return a + (b - a) * tx + (c - a) * ty + (a - b - c + d) * tx * ty;
  };
}

/** Sum of octaves, normalised back to about 0..1. */
function fbm(rng: Rng, baseFreq: number, octaves: number): Noise2 {
  const layers = Array.from({ length: octaves }, (_, o) => valueNoise(rng, baseFreq << o));
  let norm = 0;
  for (let o = 0; o < octaves; o++) norm += 0.5 ** o;
  return (u, v) => {
    let s = 0;
    for (let o = 0; o < octaves; o++) s += layers[o]!(u, v) * 0.5 ** o;
    return s / norm;
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Anatomy

type Anatomy = {
  cx: number;
  neckW: number;
  shoulderW: number;
  shoulderY: number;
  lungTop: number;
  lungBase: number;
  lungGap: number;
  lungW: [number, number];
  domeH: [number, number];
  heart: { cx: number; cy: number; rx: number; ry: number; cos: number; sin: number };
  ribTop: number;
  ribSpacing: number;
  ribCurve: number;
  ribW: number;
  clavY: number;
  bubble: { u: number; v: number; r: number } | null;
  air: number;
  tissue: number;
  lung: number;
  heartAdd: number;
  bone: number;
  gamma: number;
  gain: number;
  noiseSigma: number;
  tissueNoise: Noise2;
  lungNoise: Noise2;
};

const rotation = (angle: number) => ({ cos: Math.cos(angle), sin: Math.sin(angle) });

/** Roughly standard normal from three uniforms (Irwin–Hall): plenty for pixel noise and much cheaper than Box–Muller. */
const pixelNoise = (rng: Rng) => (rng.next() + rng.next() + rng.next() - 1.5) * 2;

function drawAnatomy(rng: Rng): Anatomy {
  const cx = 0.5 + 0.015 * rng.normal();
  const lungBase = rng.uniform(0.72, 0.79);
  const lungTop = rng.uniform(0.11, 0.15);
  const lungW = rng.uniform(0.27, 0.31);
  const rightDome = rng.uniform(0.075, 0.1);
  return {
    cx,
    neckW: rng.uniform(0.08, 0.1),
    shoulderW: rng.uniform(0.43, 0.47),
    shoulderY: rng.uniform(0.14, 0.19),
    lungTop,
    lungBase,
    lungGap: rng.uniform(0.045, 0.06),
    // side 0 = image left (patient's right), side 1 = image right (patient's left).
    lungW: [lungW * rng.uniform(0.97, 1.05), lungW * rng.uniform(0.95, 1.02)],
    // The right hemidiaphragm sits higher than the left (liver below it).
    domeH: [rightDome, rightDome - rng.uniform(0.01, 0.03)],
    heart: {
      cx: cx + rng.uniform(0.05, 0.075),
      cy: lungBase - rng.uniform(0.14, 0.165),
      rx: rng.uniform(0.14, 0.17),
      ry: rng.uniform(0.1, 0.12),
      ...rotation(rng.uniform(0.3, 0.55)),
    },
    ribTop: lungTop + rng.uniform(-0.005, 0.02),
    ribSpacing: (lungBase - lungTop) * rng.uniform(0.11, 0.125),
    ribCurve: rng.uniform(2.4, 3.4),
    ribW: rng.uniform(0.011, 0.014),
    clavY: rng.uniform(0.13, 0.17),
    bubble: rng.next() < 0.6 ? { u: cx + rng.uniform(0.12, 0.22), v: lungBase + rng.uniform(0.05, 0.09), r: rng.uniform(0.03, 0.05) } : null,
    air: rng.uniform(0.02, 0.06),
    tissue: rng.uniform(0.5, 0.6),
    lung: rng.uniform(0.17, 0.25),
    heartAdd: rng.uniform(0.06, 0.11),
    bone: rng.uniform(0.1, 0.15),
    gamma: rng.uniform(0.85, 1.15),
    gain: rng.uniform(0.92, 1.06),
    noiseSigma: rng.uniform(0.008, 0.018),
    tissueNoise: fbm(rng, 4, 3),
    lungNoise: fbm(rng, 8, 3),
  };
}

/** Half-width of the body at height v (neck → shoulders → chest). */
function bodyHalfWidth(a: Anatomy, v: number): number {
  const w = a.neckW + (a.shoulderW - a.neckW) * smoothstep(a.shoulderY - 0.12, a.shoulderY, v);
  return w - 0.03 * smoothstep(0.75, 1, v);
}

/** Height of the diaphragm under a lung at outward distance d from the midline (domes peak mid-lung). */
function diaphragmY(a: Anatomy, side: 0 | 1, d: number): number {
  const mid = a.lungGap + a.lungW[side] * 0.5;
  const t = (d - mid) / (a.lungW[side] * 0.75);
  // Lower at the lateral costophrenic angle than medially.
  return a.lungBase - a.domeH[side] * Math.max(0, 1 - t * t) + 0.03 * smoothstep(0.2, 1, t);
}

/** Soft lung-field mask for one side: 1 inside, 0 outside, edge width e. */
function lungMask(a: Anatomy, side: 0 | 1, u: number, v: number, e: number): number {
  const d = side === 0 ? a.cx - u : u - a.cx;
  const w = a.lungW[side];
  const t = clamp01((v - a.lungTop) / (a.lungBase - a.lungTop));
  const dMed = a.lungGap + 0.01 * t;
  const dLat = a.lungGap + w * (0.4 + 0.6 * Math.sqrt(t));
  const apexMid = a.lungGap + w * 0.4;
  const yTop = a.lungTop + 0.9 * sq((d - apexMid) / w);
  const yBot = diaphragmY(a, side, d);
  const sdf = Math.min(d - dMed, dLat - d, v - yTop, yBot - v);
  return smoothstep(-e, e, sdf);
}

function heartMask(a: Anatomy, u: number, v: number, e: number): number {
  const h = a.heart;
  const c = h.cos;
  const s = h.sin;
  const du = u - h.cx;
  const dv = v - h.cy;
  const x = (du * c + dv * s) / h.rx;
  const y = (-du * s + dv * c) / h.ry;
  const r = Math.sqrt(x * x + y * y);
  const inside = smoothstep(-e * 2, e * 2, (1 - r) * Math.min(h.rx, h.ry));
  // The right heart border stays close to the spine; the rest bulges to the image right (patient's left).
  const medial = smoothstep(a.cx - 0.085 - e * 2, a.cx - 0.085 + e * 2, u);
  return inside * medial;
}

/** Aortic knob and upper mediastinum: dense like the heart, but not part of the heart mask. */
function knobMask(a: Anatomy, u: number, v: number, e: number): number {
  const ku = (u - (a.cx + 0.045)) / 0.04;
  const kv = (v - (a.lungTop + 0.16)) / 0.05;
  return 0.8 * (1 - smoothstep(0.6, 1 + e * 20, Math.sqrt(ku * ku + kv * kv)));
}

/** Bright band of half-width hw around a curve, with slightly brighter cortical edges. */
function boneBand(dist: number, hw: number, e: number): number {
  const a = Math.abs(dist);
  if (a >= hw + e) return 0;
  const core = 1 - smoothstep(hw - e, hw + e, a);
  const cortex = Math.exp(-sq((a - hw * 0.8) / (hw * 0.35)));
  return core * 0.75 + cortex * 0.35 * core;
}

type Field = {
  image: Float32Array;
  lungs: Float32Array;
  heart: Float32Array;
};

function renderAnatomy(a: Anatomy, size: number): Field {
  const image = new Float32Array(size * size);
  const lungs = new Float32Array(size * size);
  const heart = new Float32Array(size * size);
  const e = Math.max(0.7 / size, 0.004);
  const ribCount = Math.ceil((a.lungBase + 0.05 - a.ribTop) / a.ribSpacing) + 1;
  for (let py = 0; py < size; py++) {
    const v = (py + 0.5) / size;
    const halfW = bodyHalfWidth(a, v);
    for (let px = 0; px < size; px++) {
      const u = (px + 0.5) / size;
      const dx = u - a.cx;
      const d = Math.abs(dx);
      const side: 0 | 1 = dx < 0 ? 0 : 1;
      const body = 1 - smoothstep(halfW - e * 3, halfW + e * 3, d);
      // Thicker in the middle → brighter; tissue texture from smooth noise.
      const thick = 1 - 0.35 * sq(d / halfW);
      const tex = 1 + 0.12 * (a.tissueNoise(u, v) - 0.5);
      let val = a.air + body * (a.tissue * thick * tex - a.air);
      // Abdomen below the diaphragm is a little denser (liver, spleen).
      val += body * 0.05 * smoothstep(a.lungBase - 0.05, a.lungBase + 0.1, v);

      const lm = lungMask(a, side, u, v, e);
      const heartOnly = heartMask(a, u, v, e);
      const hm = Math.max(heartOnly, knobMask(a, u, v, e));
      lungs[py * size + px] = lm;
      heart[py * size + px] = heartOnly;
      if (lm > 0) {
        // Lung markings: vessels fan out from the hilum and fade to the periphery.
        const hilumD = a.lungGap + 0.04;
        const hilumV = a.lungTop + (a.lungBase - a.lungTop) * 0.5;
        const hil = Math.exp(-sq((d - hilumD) / 0.07) - sq((v - hilumV) / 0.1));
        const mark = a.lungNoise(u, v);
        const ridge = 1 - Math.abs(mark - 0.5) * 2;
        const lungLevel = a.lung + 0.1 * hil + 0.06 * ridge * ridge * ridge * (1 - smoothstep(0.1, 0.35, d)) + 0.05 * (mark - 0.5);
        // Lung lowers the brightness towards lungLevel; the heart in front of it cancels that.
        val -= lm * (1 - hm) * Math.max(0, val - lungLevel);
      }
      val += hm * a.heartAdd;

      // Spine and mediastinum: vertebral bodies with darker disc spaces.
      const spine = 1 - smoothstep(0.03 - e, 0.03 + e, d);
      if (spine > 0) {
        const seg = 0.5 + 0.5 * Math.cos((2 * Math.PI * (v - a.ribTop)) / a.ribSpacing);
        val += body * spine * a.bone * (0.55 + 0.25 * seg);
      }
      val += body * 0.06 * (1 - smoothstep(0.05, 0.09, d)) * (1 - hm);
      // Trachea: a dark air column in the upper mediastinum.
      const trachea = (1 - smoothstep(0.014 - e, 0.014 + e, d)) * (1 - smoothstep(a.lungTop + 0.12, a.lungTop + 0.2, v));
      val -= trachea * 0.13;

      // Posterior ribs: arcs from the spine, rising a little then curving down laterally.
      if (body > 0 && d > 0.025 && v > a.ribTop - 0.08 && v < a.lungBase + 0.2) {
        const ribReach = halfW - 0.02;
        let rib = 0;
        // Rib k runs along v = ribTop + k*spacing + shape(d): only the nearest two can touch this pixel.
        const post = a.ribTop - 0.25 * d + a.ribCurve * sq(Math.max(0, d - 0.17));
        const kp = Math.floor((v - post) / a.ribSpacing);
        for (let k = Math.max(0, kp); k <= Math.min(ribCount - 1, kp + 1); k++) {
          const hw = a.ribW * (0.8 + 0.04 * k);
          rib = Math.max(rib, boneBand(v - (post + k * a.ribSpacing), hw, e));
        }
        // Anterior ribs: faint, sloping down towards the midline.
        if (d >= 0.12) {
          const ant = a.ribTop + 0.02 + 0.5 * a.ribSpacing * 1.05 + 0.35 * (0.32 - d) - 0.6 * sq(0.32 - d);
          const ka = Math.floor((v - ant) / (a.ribSpacing * 1.05));
          for (let k = Math.max(0, ka); k <= Math.min(5, ka + 1); k++) {
            const dist = v - (ant + k * a.ribSpacing * 1.05);
            rib = Math.max(rib, 0.35 * boneBand(dist, a.ribW * 1.1, e) * smoothstep(0.12, 0.2, d));
          }
        }
        const reach = 1 - smoothstep(ribReach - 0.02, ribReach, d);
        // Ribs stand out over the dark lungs and fade below the diaphragm.
        const below = 1 - smoothstep(a.lungBase - 0.02, a.lungBase + 0.12, v);
        val += rib * reach * a.bone * (0.35 + 0.75 * lm * (1 - hm)) * below;
      }

      // Clavicles: from the sternal end out to the shoulders.
      if (d > 0.035 && d < 0.33) {
        const t = d - 0.035;
        const yc = a.clavY + 0.04 - 0.4 * t + 0.6 * t * t;
        val += a.bone * 1.1 * boneBand(v - yc, 0.014, e) * smoothstep(0.03, 0.06, d) * (1 - smoothstep(0.3, 0.33, d));
      }
      // Humeral heads at the top corners.
      const hu = d - (a.shoulderW - 0.02);
      const hv = v - (a.shoulderY + 0.05);
      const hr = Math.sqrt(hu * hu + hv * hv);
      val += a.bone * 0.9 * (1 - smoothstep(0.06 - e, 0.06 + e, hr));

      // Gastric bubble under the left hemidiaphragm (image right).
      if (a.bubble) {
        const bu = (u - a.bubble.u) / a.bubble.r;
        const bv = (v - a.bubble.v) / (a.bubble.r * 0.7);
        val -= 0.15 * (1 - smoothstep(0.8, 1.05, Math.sqrt(bu * bu + bv * bv))) * smoothstep(a.bubble.v - a.bubble.r, a.bubble.v, v + a.bubble.r * 0.3);
      }
      image[py * size + px] = val;
    }
  }
  return { image, lungs, heart };
}

// ---------------------------------------------------------------------------------------------------------------
// Anomalies

/** A random pixel inside a lung, clear of the heart and at least `margin` (normalised) from the lung edges. */
function pickLungPoint(rng: Rng, f: Field, size: number, margin: number, lower = false): [number, number] {
  const m = Math.max(1, Math.round(margin * size));
  const clear = (x: number, y: number) => {
    if (x < 0 || y < 0 || x >= size || y >= size) return false;
    const i = y * size + x;
    return f.lungs[i]! > 0.95 && f.heart[i]! < 0.05;
  };
  let fallback: [number, number] | null = null;
  for (let tries = 0; tries < 400; tries++) {
    const px = rng.int(0, size - 1);
    const py = rng.int(lower ? size >> 2 : 0, size - 1);
    if (!clear(px, py)) continue;
    const point: [number, number] = [(px + 0.5) / size, (py + 0.5) / size];
    if (clear(px - m, py) && clear(px + m, py) && clear(px, py - m) && clear(px, py + m)) return point;
    fallback ??= point;
  }
  return fallback ?? [0.3, 0.45];
}

/** Adds the lesion to the image and writes its mask; guarantees at least the centre pixel is masked. */
function addNodule(rng: Rng, f: Field, mask: Float32Array, size: number): void {
  const r = Math.max(rng.uniform(0.022, 0.04), 0.9 / size);
  const [cu, cv] = pickLungPoint(rng, f, size, r);
  const amp = rng.uniform(0.22, 0.35);
  const e = 0.6 / size;
  for (let py = 0; py < size; py++) {
    const v = (py + 0.5) / size;
    if (Math.abs(v - cv) > r + 2 * e) continue;
    for (let px = 0; px < size; px++) {
      const u = (px + 0.5) / size;
      const dist = Math.hypot(u - cu, v - cv);
      if (dist > r + 2 * e) continue;
      // Path length through a sphere, softened at the rim.
      const q = Math.min(dist, r) / r;
      const i = py * size + px;
      f.image[i]! += amp * (0.35 + 0.65 * Math.sqrt(1 - q * q)) * (1 - smoothstep(r - e, r + e, dist));
      if (dist <= r) mask[i] = 1;
    }
  }
  ensureMask(mask, size, cu, cv);
}

function addOpacity(rng: Rng, f: Field, mask: Float32Array, size: number): void {
  const r = rng.uniform(0.07, 0.11);
  const [cu, cv] = pickLungPoint(rng, f, size, r * 0.5, true);
  const amp = rng.uniform(0.32, 0.45);
  const patches = fbm(rng, 12, 2);
  const ru = r * rng.uniform(0.8, 1.3);
  const rv = r * rng.uniform(0.8, 1.3);
  for (let py = 0; py < size; py++) {
    const v = (py + 0.5) / size;
    for (let px = 0; px < size; px++) {
      const u = (px + 0.5) / size;
      const q = sq((u - cu) / ru) + sq((v - cv) / rv);
      if (q > 4) continue;
      const i = py * size + px;
      // Gaussian envelope broken into patches (air bronchograms, confluent consolidation), confined to the lung.
      const env = Math.exp(-q);
      const dens = clamp01(env * (0.55 + 1.1 * (patches(u, v) - 0.45))) * f.lungs[i]!;
      f.image[i]! += amp * dens;
      if (dens > 0.3) mask[i] = 1;
    }
  }
  ensureMask(mask, size, cu, cv);
}

/** Tiny images can miss every pixel centre of a small region: then mark the pixel under its centre. */
function ensureMask(mask: Float32Array, size: number, u: number, v: number): void {
  if (mask.some((m) => m > 0)) return;
  const px = Math.min(size - 1, Math.max(0, Math.floor(u * size)));
  const py = Math.min(size - 1, Math.max(0, Math.floor(v * size)));
  mask[py * size + px] = 1;
}

function flipRows(data: Float32Array, size: number): void {
  for (let y = 0; y < size; y++) {
    const row = data.subarray(y * size, (y + 1) * size);
    row.reverse();
  }
}

/** One phantom image and its anomaly mask, each size*size, row-major. */
export function generatePhantom(opts: { seed: number; index: number; kind: PhantomKind; size: number }): {
  image: Float32Array;
  mask: Float32Array;
} {
  const { size, kind } = opts;
  if (!Number.isInteger(size) || size < 2) throw new Error(`phantoms: invalid size ${size}`);
  const rng = createRng(imageSeed(opts.seed, opts.index));
  const anatomy = drawAnatomy(rng);
  const field = renderAnatomy(anatomy, size);
  const mask = new Float32Array(size * size);
  if (kind === 'nodule') addNodule(rng, field, mask, size);
  else if (kind === 'opacity') addOpacity(rng, field, mask, size);

  const img = field.image;
  for (let i = 0; i < img.length; i++) {
    const x = Math.max(0, img[i]!);
    img[i] = clamp01(anatomy.gain * x ** anatomy.gamma + anatomy.noiseSigma * pixelNoise(rng));
  }
  if (kind === 'mirrored') {
    // Situs inversus-like: the whole film flipped, so the heart sits on the image left. The mask marks it there.
    flipRows(img, size);
    for (let i = 0; i < mask.length; i++) mask[i] = field.heart[i]! > 0.5 ? 1 : 0;
    flipRows(mask, size);
    ensureMask(mask, size, 1 - anatomy.heart.cx, anatomy.heart.cy);
  } else if (kind === 'inverted') {
    for (let i = 0; i < img.length; i++) img[i] = 1 - img[i]!;
    for (let i = 0; i < mask.length; i++) mask[i] = field.lungs[i]! > 0.5 ? 1 : 0;
    ensureMask(mask, size, anatomy.cx + anatomy.lungGap + anatomy.lungW[1] * 0.5, (anatomy.lungTop + anatomy.lungBase) / 2);
  }
  return { image: img, mask };
}
