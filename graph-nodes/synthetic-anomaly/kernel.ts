/**
 * Synthetic anomalies: normal images [N,H,W,C] in 0..1 → normals (label 0, empty masks) + M anomalies (label 1,
 * masks [·,H,W,1] in {0,1}): mirror, invert, soft bright nodule, cloudy patch, or CutPaste (Li et al., CVPR 2021),
 * kinds used in turn on shuffled source images. keepNormals: all N normals + M = round(N·f/(1−f)) anomalies;
 * otherwise round(f·N) of the N images are replaced by anomalies. Pixel work in anomalies.ts (plain JS, seeded).
 */
import * as tf from '@tensorflow/tfjs';
import { KizukiError } from '../core/errors';
import { defineKernel, throwIfAborted, type ImageSetValue } from '../core/kernel-types';
import { createRng, shuffledIndices } from '../core/random';
import { mixedIndices, outlineMasks, thumbnails } from '../core/tensor-preview';
import { makeSynthetic, type SyntheticOptions } from './anomalies';
import { syntheticAnomalyNode } from './definition';

/** Largest output the node builds (float32 values), about 1.6 GB. */
const MAX_VALUES = 400_000_000;
const THUMBS = 8;

const yieldToEventLoop = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** Preview captions (kind and size of each anomaly), keyed by the output value; small plain data. */
const captionsOf = new WeakMap<ImageSetValue, string[]>();

/** How many anomalies to make from n usable normals. */
export function anomalyCount(n: number, fraction: number, keepNormals: boolean): number {
  return keepNormals ? Math.round((n * fraction) / (1 - fraction)) : Math.round(n * fraction);
}

export const syntheticAnomalyKernel = defineKernel(syntheticAnomalyNode, {
  async run({ images }, params, ctx) {
    const [n, h, w, c] = images.images.shape;
    const usable: number[] = [];
    let anomalous = 0;
    let unlabelled = 0;
    images.labels.forEach((l, i) => {
      if (l === 1) anomalous++;
      else usable.push(i);
      if (l === -1) unlabelled++;
    });
    if (usable.length === 0) {
      throw new KizukiError('NO_IMAGES', {
        nodeId: ctx.nodeId,
        source: `its input (all ${n} images are labelled anomalous)`,
        skipped: n,
        hint: 'Feed normal images (image set: include = normal).',
      });
    }
    if (anomalous > 0) ctx.warn(`${anomalous} input image${anomalous === 1 ? ' is' : 's are'} labelled anomalous and left out: this node expects normal images`);
    if (unlabelled > 0) ctx.warn(`${unlabelled} unlabelled input image${unlabelled === 1 ? ' was' : 's were'} treated as normal`);

    const m = anomalyCount(usable.length, params.fraction, params.keepNormals);
    const nOut = params.keepNormals ? usable.length + m : usable.length;
    const size = h * w * c;
    if (nOut * size > MAX_VALUES) {
      throw new KizukiError('INVALID_PARAM', {
        nodeId: ctx.nodeId,
        field: 'fraction',
        reason: `would make ${nOut} images of ${h}×${w}×${c}, more than fits in memory`,
        hint: 'Lower the fraction, or use fewer or smaller images.',
      });
    }
    const src = (await images.images.data()) as Float32Array;
    const opts: SyntheticOptions = {
      placement: params.placement,
      noduleRadius: [params.noduleRadiusMin, params.noduleRadiusMax],
      patchRadius: [params.patchRadiusMin, params.patchRadiusMax],
      intensity: params.intensity,
    };
    const rng = createRng(params.seed);
    const order = shuffledIndices(usable.length, rng);

    // Output slots: keepNormals → the normals in input order, then the anomalies; else anomalies replace their sources.
    const out = new Float32Array(nOut * size);
    const masks = new Float32Array(nOut * h * w);
    const labels = new Int8Array(nOut);
    const names: string[] = new Array<string>(nOut);
    const captions: string[] = new Array<string>(nOut).fill('normal');
    const slotOfAnomaly = (j: number) => (params.keepNormals ? usable.length + j : order[j]!);
    usable.forEach((i, k) => {
      out.set(src.subarray(i * size, (i + 1) * size), k * size);
      names[k] = images.names[i] ?? `#${i}`;
    });
    const perClass: Record<string, number> = {};
    const repeats = new Map<number, number>();
    const fallbacks: string[] = [];
    let lastYield = Date.now();
    for (let j = 0; j < m; j++) {
      const source = usable[order[j % usable.length]!]!;
      const kind = params.kinds[j % params.kinds.length]!;
      const syn = makeSynthetic(kind, src.subarray(source * size, (source + 1) * size), { h, w, c }, rng, opts);
      const slot = slotOfAnomaly(j);
      out.set(syn.image, slot * size);
      masks.set(syn.mask, slot * h * w);
      labels[slot] = 1;
      const rep = (repeats.get(source) ?? 0) + 1;
      repeats.set(source, rep);
      names[slot] = `${images.names[source] ?? `#${source}`}#${kind}${rep}`;
      captions[slot] = syn.caption;
      perClass[kind] = (perClass[kind] ?? 0) + 1;
      if (syn.fallback) fallbacks.push(`${images.names[source] ?? `#${source}`} (${syn.fallback})`);
      if (Date.now() - lastYield > 50) {
        ctx.progress({ fraction: (j + 1) / m, message: `${j + 1} / ${m} anomalies` });
        await yieldToEventLoop();
        throwIfAborted(ctx.signal);
        lastYield = Date.now();
      }
    }
    throwIfAborted(ctx.signal);
    ctx.progress({ fraction: 1 });
    if (fallbacks.length > 0) {
      ctx.warn(`${fallbacks.length} mirrored image${fallbacks.length === 1 ? '' : 's'} got a whole-image mask: ${fallbacks.slice(0, 2).join('; ')}${fallbacks.length > 2 ? '; …' : ''}`);
    }
    const nNormal = nOut - m;
    const value: ImageSetValue = {
      kind: 'ImageSet',
      images: tf.tensor4d(out, [nOut, h, w, c], 'float32'),
      masks: tf.tensor4d(masks, [nOut, h, w, 1], 'float32'),
      labels,
      names,
      summary: { source: `${images.summary.source} + synthetic anomalies`, loaded: nOut, skipped: [], perClass: { normal: nNormal, ...perClass } },
    };
    captionsOf.set(value, captions);
    return { images: value };
  },

  async preview({ images }) {
    const indices = mixedIndices(images.labels, THUMBS);
    const captions = captionsOf.get(images);
    const thumbs = await thumbnails(images.images, images.labels, images.names, {
      indices,
      captions: indices.map((i) => captions?.[i] ?? (images.labels[i] === 1 ? 'anomalous' : 'normal')),
    });
    if (images.masks) await outlineMasks(thumbs, images.masks, indices);
    const { perClass } = images.summary;
    const { normal = 0, ...kinds } = perClass;
    const m = images.labels.length - normal;
    return [
      { kind: 'images', title: 'Normals and synthetic anomalies', total: images.labels.length, images: thumbs },
      {
        kind: 'text',
        lines: [
          `${normal} normal, ${m} synthetic anomalies (${m + normal > 0 ? Math.round((100 * m) / (m + normal)) : 0}%)`,
          Object.entries(kinds)
            .map(([k, v]) => `${k} ${v}`)
            .join(', '),
        ],
      },
    ];
  },
});
