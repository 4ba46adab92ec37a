/**
 * Pixel-level evaluation of heatmaps [N,H,W,1] against masks [N,H,W,1] (1 = anomalous pixel):
 * pixel AUROC/AP = rocAnalysis (= sklearn roc_auc_score / average_precision_score) on the flattened arrays, and
 * PRO (Bergmann et al., MVTec AD, IJCV 2021): for each threshold t, PRO(t) = mean over the connected components
 * C_k (8-connected, per image) of |{map ≥ t} ∩ C_k| / |C_k|, FPR(t) = share of normal pixels with map ≥ t;
 * PRO score = ∫₀^L PRO d(FPR) / L with L = 0.3 (trapezoids, the last one cut at FPR = L by linear interpolation).
 */
import { KizukiError } from '../core/errors';
import { defineKernel, type KernelContext } from '../core/kernel-types';
import { createRng } from '../core/random';
import { rocAnalysis } from '../core/score-stats';
import { pixelRocNode } from './definition';

/**
 * Label the 8-connected components of the binary masks (value ≥ 0.5), image by image.
 * @returns component id per pixel (-1 = background), ids 0..count-1, and each component's size
 */
export function labelComponents(masks: ArrayLike<number>, n: number, h: number, w: number): { ids: Int32Array; sizes: number[] } {
  const ids = new Int32Array(n * h * w).fill(-1);
  const sizes: number[] = [];
  const stack = new Int32Array(h * w);
  for (let img = 0; img < n; img++) {
    const base = img * h * w;
    for (let start = 0; start < h * w; start++) {
      if (masks[base + start]! < 0.5 || ids[base + start] !== -1) continue;
      const id = sizes.length;
      let size = 0;
      let top = 0;
      stack[top++] = start;
      ids[base + start] = id;
      while (top > 0) {
        const p = stack[--top]!;
        size++;
        const y = Math.floor(p / w);
        const x = p - y * w;
        for (let dy = -1; dy <= 1; dy++) {
          const yy = y + dy;
          if (yy < 0 || yy >= h) continue;
          for (let dx = -1; dx <= 1; dx++) {
            const xx = x + dx;
            if (xx < 0 || xx >= w || (dx === 0 && dy === 0)) continue;
            const q = yy * w + xx;
            if (masks[base + q]! >= 0.5 && ids[base + q] === -1) {
              ids[base + q] = id;
              stack[top++] = q;
            }
          }
        }
      }
      sizes.push(size);
    }
  }
  return { ids, sizes };
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * Indices that sort finite float32 `scores` in descending order, with one native (comparator-free) sort:
 * a float32 value is exact in float64 with its 29 lowest mantissa bits zero, so those bits can carry the
 * index (n < 2²⁹) without moving the key past any other float32 value. Falls back to a comparator sort.
 */
export function descendingOrder(scores: Float32Array): Uint32Array {
  const n = scores.length;
  const out = new Uint32Array(n);
  if (!LITTLE_ENDIAN || n >= 2 ** 29) {
    for (let i = 0; i < n; i++) out[i] = i;
    return out.sort((a, b) => scores[b]! - scores[a]!);
  }
  const keys = new Float64Array(n);
  const words = new Uint32Array(keys.buffer);
  for (let i = 0; i < n; i++) {
    keys[i] = scores[i]!;
    words[2 * i] = (words[2 * i]! | i) >>> 0;
  }
  keys.sort();
  const low = 2 ** 29 - 1;
  for (let k = 0; k < n; k++) out[n - 1 - k] = words[2 * k]! & low;
  return out;
}

/**
 * PRO curve and its normalised area up to `limit`.
 * @param scores pixel scores (higher = more anomalous)
 * @param region component id per pixel, -1 for a normal pixel
 * @param regions number of component ids
 */
export function perRegionOverlap(
  scores: Float32Array,
  region: ArrayLike<number>,
  regions: number,
  limit: number,
  order: Uint32Array = descendingOrder(scores),
): { pro: number; fpr: number[]; overlap: number[] } {
  const count = new Float64Array(regions);
  let nNeg = 0;
  for (let i = 0; i < scores.length; i++) {
    const r = region[i]!;
    if (r < 0) nNeg++;
    else count[r]!++;
  }
  const present = count.reduce((k, c) => k + (c > 0 ? 1 : 0), 0);
  if (nNeg === 0 || present === 0) throw new Error(nNeg === 0 ? 'no normal pixels' : 'no anomalous region');
  const fpr = [0];
  const overlap = [0];
  let fp = 0;
  let sum = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    const r = region[i]!;
    if (r < 0) fp++;
    else sum += 1 / (present * count[r]!);
    const next = order[k + 1];
    if (next !== undefined && scores[next] === scores[i]) continue;
    fpr.push(fp / nNeg);
    overlap.push(sum);
  }
  let area = 0;
  for (let k = 1; k < fpr.length; k++) {
    const x0 = fpr[k - 1]!;
    const y0 = overlap[k - 1]!;
    if (x0 >= limit) break;
    let x1 = fpr[k]!;
    let y1 = overlap[k]!;
    if (x1 > limit) {
      y1 = y0 + ((y1 - y0) * (limit - x0)) / (x1 - x0);
      x1 = limit;
    }
    area += ((x1 - x0) * (y0 + y1)) / 2;
  }
  return { pro: area / limit, fpr, overlap };
}

/** Keep a curve point when it moved at least `step` (in |Δfpr| + |Δtpr|) from the last kept one, plus both ends. */
function thinCurve(c: { fpr: number[]; tpr: number[]; thresholds: number[] }, step = 1 / 1000) {
  const out = { fpr: [] as number[], tpr: [] as number[], thresholds: [] as number[] };
  let lastF = -1;
  let lastT = -1;
  for (let k = 0; k < c.fpr.length; k++) {
    const f = c.fpr[k]!;
    const t = c.tpr[k]!;
    if (k === 0 || k === c.fpr.length - 1 || Math.abs(f - lastF) + Math.abs(t - lastT) >= step) {
      out.fpr.push(f);
      out.tpr.push(t);
      out.thresholds.push(c.thresholds[k]!);
      lastF = f;
      lastT = t;
    }
  }
  return out;
}

function noMasks(ctx: KernelContext, reason: string, hint: string) {
  return new KizukiError('KERNEL_FAILED', { nodeId: ctx.nodeId, reason, hint });
}

export const pixelRocKernel = defineKernel(pixelRocNode, {
  async run({ heatmaps }, params, ctx) {
    const { maps, masks } = heatmaps;
    if (!masks && params.noMasks === 'skip') {
      ctx.warn('the images have no pixel masks (only image labels): pixel AUROC and PRO were skipped');
      const nan = Number.NaN;
      return {
        metrics: {
          kind: 'Metrics',
          scorer: `${heatmaps.scorer ?? 'heatmaps'} (pixel; skipped: no masks)`,
          auroc: nan,
          ap: nan,
          nNormal: 0,
          nAnomalous: 0,
          roc: { fpr: [], tpr: [], thresholds: [] },
          pixel: { auroc: nan, pro: nan, proFprLimit: params.proFprLimit, pixelsUsed: 0, pixelsTotal: 0, images: heatmaps.labels.length, regions: 0 },
        },
      };
    }
    if (!masks) {
      throw noMasks(
        ctx,
        'the heatmaps carry no pixel masks, so there is nothing to compare them with',
        'Score images that have masks: the built-in phantoms, or a CSV image set with a mask column. Use the ROC evaluator for image-level scores, or set noMasks = skip.',
      );
    }
    if (maps.shape.slice(0, 3).join() !== masks.shape.slice(0, 3).join()) {
      throw new KizukiError('SHAPE_MISMATCH', { nodeId: ctx.nodeId, what: `heatmaps ${maps.shape.join('×')} and masks ${masks.shape.join('×')} differ in size` });
    }
    const [n, h, w] = maps.shape;
    const total = n * h * w;
    const [values, truth] = await Promise.all([maps.data(), masks.data()]);
    let bad = 0;
    for (let i = 0; i < total; i++) if (!Number.isFinite(values[i]!)) bad++;
    if (bad > 0) throw new KizukiError('NON_FINITE_SCORES', { nodeId: ctx.nodeId, count: `${bad} pixel` });

    const { ids, sizes } = labelComponents(truth, n, h, w);
    const nPos = sizes.reduce((a, b) => a + b, 0);
    const nNeg = total - nPos;
    if (nPos === 0 || nNeg === 0) {
      throw new KizukiError('SINGLE_CLASS', {
        nodeId: ctx.nodeId,
        cls: nPos === 0 ? 'normal pixels (the masks are empty)' : 'anomalous pixels',
        hint: 'Evaluate images whose masks mark the anomalies (include anomalous images), and some normal area.',
      });
    }

    // Deterministic sample when there are too many pixels: one rate p for the ROC (AUROC and AP stay unbiased),
    // and a higher rate q ≥ p for the anomalous pixels of PRO (small regions keep enough pixels).
    const p = Math.min(1, params.maxPixels / total);
    const q = Math.min(1, Math.max(p, params.maxPixels / 2 / nPos));
    const rng = createRng(0);
    const picked = new Uint32Array(Math.min(total, Math.ceil(params.maxPixels * 1.6) + 1000));
    const inRoc = new Uint8Array(picked.length);
    let m = 0;
    for (let i = 0; i < total && m < picked.length; i++) {
      const r = p < 1 || q < 1 ? rng.next() : 0;
      const anomalous = ids[i]! >= 0;
      const roc = r < p;
      if (roc || (anomalous && r < q)) {
        picked[m] = i;
        inRoc[m++] = roc ? 1 : 0;
      }
    }
    const pickedScores = new Float32Array(m);
    const pickedRegion = new Int32Array(m);
    for (let k = 0; k < m; k++) {
      pickedScores[k] = values[picked[k]!]!;
      pickedRegion[k] = ids[picked[k]!]!;
    }
    // One fast sort serves both: rocAnalysis gets its input already in descending order (its own sort is then linear).
    const order = descendingOrder(pickedScores);
    let nRoc = 0;
    for (let k = 0; k < m; k++) nRoc += inRoc[k]!;
    const rocScores = new Float32Array(nRoc);
    const rocLabels = new Int8Array(nRoc);
    let j = 0;
    for (let k = 0; k < m; k++) {
      const i = order[k]!;
      if (!inRoc[i]) continue;
      rocScores[j] = pickedScores[i]!;
      rocLabels[j++] = pickedRegion[i]! >= 0 ? 1 : 0;
    }
    if (p < 1) {
      ctx.warn(`${total.toLocaleString('en')} pixels: AUROC/AP use a fixed random sample of ${nRoc.toLocaleString('en')} (maxPixels = ${params.maxPixels.toLocaleString('en')})`);
    }
    let roc;
    try {
      roc = rocAnalysis(rocScores, rocLabels);
    } catch {
      throw new KizukiError('SINGLE_CLASS', { nodeId: ctx.nodeId, cls: 'one kind of', hint: 'Raise maxPixels so the pixel sample keeps both normal and anomalous pixels.' });
    }
    const pro = perRegionOverlap(pickedScores, pickedRegion, sizes.length, params.proFprLimit, order);
    const scorer = `${heatmaps.scorer ?? 'heatmaps'} (pixel)`;
    return {
      metrics: {
        kind: 'Metrics',
        scorer,
        auroc: roc.auroc,
        ap: roc.ap,
        nNormal: roc.nNormal,
        nAnomalous: roc.nAnomalous,
        roc: thinCurve(roc),
        pixel: {
          auroc: roc.auroc,
          pro: pro.pro,
          proFprLimit: params.proFprLimit,
          pixelsUsed: nRoc,
          pixelsTotal: total,
          images: n,
          regions: sizes.length,
        },
      },
    };
  },
  preview({ metrics }) {
    const px = metrics.pixel!;
    if (px.pixelsTotal === 0) return [{ kind: 'text', lines: ['No pixel masks on these images: nothing to evaluate per pixel.'] }];
    return [
      { kind: 'roc', curve: metrics.roc, auroc: metrics.auroc, ap: metrics.ap, nNormal: metrics.nNormal, nAnomalous: metrics.nAnomalous, flippedHint: metrics.auroc < 0.5 },
      {
        kind: 'text',
        lines: [
          `Pixel AUROC ${px.auroc.toFixed(3)}, AP ${metrics.ap.toFixed(3)} (${metrics.nNormal.toLocaleString('en')} normal, ${metrics.nAnomalous.toLocaleString('en')} anomalous pixels${px.pixelsUsed < px.pixelsTotal ? `, sampled from ${px.pixelsTotal.toLocaleString('en')}` : ''})`,
          `PRO ${px.pro.toFixed(3)}: mean overlap with each of ${px.regions} anomalous regions, averaged over FPR 0…${px.proFprLimit}`,
        ],
      },
    ];
  },
});
