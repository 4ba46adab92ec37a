/**
 * Image set: N images as float32 [N,size,size,C] in 0..1 (C = 1 grey, 3 RGB), labels Int8Array
 * (0 normal, 1 anomalous, -1 unknown), names, and pixel masks [N,size,size,1] where known
 * (phantoms always; a CSV only with a mask column; class folders never → null).
 * Sources: seeded procedural chest X-ray phantoms, or files read through ctx.io (folder of class folders or CSV).
 * Unreadable files are skipped and listed in summary.skipped; the node fails only if nothing loads.
 */
import * as tf from '@tensorflow/tfjs';
import { decodeImage, decodeMask, resizeArea } from '../../workers/engine/image-decode';
import type { ParamsOf } from '../core/define-node';
import { KizukiError } from '../core/errors';
import { defineKernel, throwIfAborted, type DataIO, type ImageSetValue, type KernelContext } from '../core/kernel-types';
import type { NodePreview, PreviewImage } from '../core/preview';
import { createRng, shuffledIndices } from '../core/random';
import { imageSetNode } from './definition';
import { generatePhantom, phantomPlan } from './phantoms';
import { listSources } from './sources';

type Params = ParamsOf<typeof imageSetNode>;

const isAbort = (err: unknown) => err instanceof Error && err.name === 'AbortError';
/** Let the worker see a Stop message between chunks of synchronous work. */
const yieldToEventLoop = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** DataIO reports missing paths without knowing the node; attach ours. */
function attributed(err: unknown, nodeId: string): unknown {
  if (err instanceof KizukiError && err.info.nodeId === '?') {
    const path = /"\?": (.*) does not exist\.$/.exec(err.message)?.[1];
    if (err.info.code === 'FILE_NOT_FOUND' && path !== undefined) return new KizukiError('FILE_NOT_FOUND', { nodeId, path });
  }
  return err;
}

function toTensors(images: Float32Array, masks: Float32Array | null, n: number, size: number, channels: number) {
  const px = size * size;
  // Exact-length copies: the CPU backend keeps the array it is given, so no oversized buffers behind a tensor.
  const img = tf.tensor4d(images.length === n * px * channels ? images : images.slice(0, n * px * channels), [n, size, size, channels], 'float32');
  const msk = masks ? tf.tensor4d(masks.length === n * px ? masks : masks.slice(0, n * px), [n, size, size, 1], 'float32') : null;
  return { img, msk };
}

async function runPhantoms(params: Params, ctx: KernelContext): Promise<ImageSetValue> {
  let plan = phantomPlan({ normals: params.normals, anomalies: params.anomalies, kinds: params.anomalyKinds });
  if (params.include === 'normal') plan = plan.filter((p) => p.label === 0);
  else if (params.include === 'anomalous') plan = plan.filter((p) => p.label === 1);
  if (params.limit > 0 && plan.length > params.limit) {
    const keep = shuffledIndices(plan.length, createRng(params.seed)).slice(0, params.limit).sort((a, b) => a - b);
    const all = plan;
    plan = keep.map((i) => all[i]!);
  }
  if (plan.length === 0) throw new KizukiError('NO_IMAGES', { nodeId: ctx.nodeId, source: 'phantoms (0 requested)', skipped: 0 });

  const { size } = params;
  const channels = params.grayscale ? 1 : 3;
  const px = size * size;
  const images = new Float32Array(plan.length * px * channels);
  const masks = new Float32Array(plan.length * px);
  const perClass: Record<string, number> = {};
  let lastYield = Date.now();
  for (let i = 0; i < plan.length; i++) {
    throwIfAborted(ctx.signal);
    const spec = plan[i]!;
    const { image, mask } = generatePhantom({ seed: params.seed, index: spec.index, kind: spec.kind, size });
    if (channels === 1) images.set(image, i * px);
    else for (let p = 0; p < px; p++) images.fill(image[p]!, (i * px + p) * 3, (i * px + p) * 3 + 3);
    masks.set(mask, i * px);
    perClass[spec.kind] = (perClass[spec.kind] ?? 0) + 1;
    ctx.progress({ fraction: (i + 1) / plan.length });
    if (Date.now() - lastYield > 50) {
      await yieldToEventLoop();
      lastYield = Date.now();
    }
  }
  throwIfAborted(ctx.signal);
  const { img, msk } = toTensors(images, masks, plan.length, size, channels);
  return {
    kind: 'ImageSet',
    images: img,
    masks: msk,
    labels: Int8Array.from(plan, (p) => p.label),
    names: plan.map((p) => p.name),
    summary: { source: 'phantoms', loaded: plan.length, skipped: [], perClass },
  };
}

function reasonOf(err: unknown, name: string): string {
  if (err instanceof KizukiError && err.info.code === 'FILE_NOT_FOUND') return 'file not found';
  const msg = err instanceof Error ? err.message : String(err);
  // Decoder messages start with the file name, which the skipped entry already carries.
  return msg.startsWith(`${name}: `) ? msg.slice(name.length + 2) : msg;
}

async function runFolder(params: Params, ctx: KernelContext): Promise<ImageSetValue> {
  const { nodeId, io } = ctx;
  let listing;
  try {
    listing = await listSources(params, io, nodeId);
  } catch (err) {
    throw attributed(err, nodeId);
  }
  const { entries } = listing;
  const { size } = params;
  const channels = params.grayscale ? 1 : 3;
  const px = size * size;
  const images = new Float32Array(entries.length * px * channels);
  const masks = listing.hasMasks ? new Float32Array(entries.length * px) : null;
  const labels: number[] = [];
  const names: string[] = [];
  const perClass: Record<string, number> = {};
  const skipped: { name: string; reason: string }[] = [];

  for (let i = 0; i < entries.length; i++) {
    throwIfAborted(ctx.signal);
    const e = entries[i]!;
    try {
      const bytes = await io.readBytes(e.path);
      throwIfAborted(ctx.signal);
      const dec = decodeImage(bytes, e.name, { size, grayscale: params.grayscale });
      let maskData: Float32Array | null = null;
      if (masks && e.maskPath) {
        try {
          maskData = decodeMask(await io.readBytes(e.maskPath), e.maskPath, { size }).data;
        } catch (err) {
          if (isAbort(err)) throw err;
          throw new Error(`mask ${e.maskPath}: ${reasonOf(err, e.maskPath)}`);
        }
      }
      const n = labels.length;
      images.set(dec.data, n * px * channels);
      if (masks && maskData) masks.set(maskData, n * px);
      labels.push(e.label);
      names.push(e.name);
      perClass[e.className || 'unlabelled'] = (perClass[e.className || 'unlabelled'] ?? 0) + 1;
    } catch (err) {
      if (isAbort(err)) throw err;
      skipped.push({ name: e.name, reason: reasonOf(err, e.name) });
    }
    ctx.progress({ fraction: (i + 1) / entries.length, message: `${i + 1} / ${entries.length} files` });
  }
  throwIfAborted(ctx.signal);

  const n = labels.length;
  if (n === 0) throw new KizukiError('NO_IMAGES', { nodeId, source: params.path, skipped: skipped.length });
  if (skipped.length > 0) {
    const first = skipped[0]!;
    ctx.warn(`${skipped.length} file${skipped.length === 1 ? '' : 's'} skipped (${first.name}: ${first.reason}${skipped.length > 1 ? ', …' : ''})`);
  }
  const { img, msk } = toTensors(images, masks, n, size, channels);
  return {
    kind: 'ImageSet',
    images: img,
    masks: msk,
    labels: Int8Array.from(labels),
    names,
    summary: { source: params.path, loaded: n, skipped, perClass },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Preview

const THUMBS = 8;
const THUMB_MAX = 64;

/** Up to `count` indices, normals and anomalies alternating so both show up, in set order. */
export function previewIndices(labels: Int8Array, count: number): number[] {
  const normals: number[] = [];
  const others: number[] = [];
  labels.forEach((l, i) => (l === 0 ? normals : others).push(i));
  const out: number[] = [];
  for (let k = 0; out.length < count && (k < normals.length || k < others.length); k++) {
    if (k < normals.length) out.push(normals[k]!);
    if (k < others.length && out.length < count) out.push(others[k]!);
  }
  return out.sort((a, b) => a - b);
}

function thumbnail(
  pixels: Float32Array,
  mask: Float32Array | null,
  size: number,
  channels: number,
  t: number,
): Uint8ClampedArray {
  const small = resizeArea(pixels, size, size, channels, t, t);
  const m = mask ? resizeArea(mask, size, size, 1, t, t) : null;
  const rgba = new Uint8ClampedArray(t * t * 4);
  const on = (x: number, y: number) => x >= 0 && y >= 0 && x < t && y < t && m !== null && m[y * t + x]! >= 0.5;
  for (let y = 0; y < t; y++) {
    for (let x = 0; x < t; x++) {
      const i = y * t + x;
      const r = small[i * channels]! * 255;
      const g = channels === 3 ? small[i * 3 + 1]! * 255 : r;
      const b = channels === 3 ? small[i * 3 + 2]! * 255 : r;
      // Outline known anomaly masks in red so the user sees where the defect is.
      const edge = on(x, y) && (!on(x - 1, y) || !on(x + 1, y) || !on(x, y - 1) || !on(x, y + 1));
      rgba[i * 4] = edge ? 255 : r;
      rgba[i * 4 + 1] = edge ? 60 : g;
      rgba[i * 4 + 2] = edge ? 60 : b;
      rgba[i * 4 + 3] = 255;
    }
  }
  return rgba;
}

async function previewImageSet(value: ImageSetValue): Promise<NodePreview> {
  const [n, size, , channels] = value.images.shape;
  const pick = previewIndices(value.labels, THUMBS);
  const idx = tf.tensor1d(pick, 'int32');
  const picked = tf.gather(value.images, idx);
  const pickedMasks = value.masks ? tf.gather(value.masks, idx) : null;
  idx.dispose();
  let pixels: Float32Array;
  let maskPixels: Float32Array | null = null;
  try {
    pixels = (await picked.data()) as Float32Array;
    if (pickedMasks) maskPixels = (await pickedMasks.data()) as Float32Array;
  } finally {
    picked.dispose();
    pickedMasks?.dispose();
  }
  const t = Math.min(THUMB_MAX, size);
  const per = size * size * channels;
  const images: PreviewImage[] = pick.map((i, k) => {
    const label = value.labels[i] ?? -1;
    const mask = maskPixels && label === 1 ? maskPixels.subarray(k * size * size, (k + 1) * size * size) : null;
    return {
      name: value.names[i] ?? `#${i}`,
      label,
      width: t,
      height: t,
      rgba: thumbnail(pixels.subarray(k * per, (k + 1) * per), mask, size, channels, t),
      caption: label === 0 ? 'normal' : label === 1 ? 'anomalous' : 'unlabelled',
    };
  });

  let nN = 0;
  let nA = 0;
  let nU = 0;
  for (const l of value.labels) {
    if (l === 0) nN++;
    else if (l === 1) nA++;
    else nU++;
  }
  const { summary } = value;
  const lines = [
    `${nN} normal, ${nA} anomalous${nU ? `, ${nU} unlabelled` : ''}`,
    `${n} images, ${size}×${size}, ${channels === 1 ? 'grey' : 'RGB'}${value.masks ? ', with pixel masks' : ''}`,
    `classes: ${Object.entries(summary.perClass)
      .map(([c, k]) => `${c} ${k}`)
      .join(', ')}`,
  ];
  if (summary.skipped.length > 0) {
    const shown = summary.skipped.slice(0, 3).map((s) => `${s.name} (${s.reason})`);
    lines.push(`${summary.skipped.length} skipped: ${shown.join('; ')}${summary.skipped.length > 3 ? '; …' : ''}`);
  }
  return [
    { kind: 'images', title: summary.source === 'phantoms' ? 'Phantoms' : 'Images', total: n, images },
    { kind: 'text', lines },
  ];
}

async function fingerprintSource(params: Params, io: DataIO): Promise<string> {
  if (params.source === 'phantoms') return '';
  const path = params.path.trim();
  if (path === '') return '';
  const own = await io.fingerprint(path);
  // A CSV names images next to it: their changes must invalidate the cache too.
  if (/\.csv$/i.test(path) && !(await io.isDir(path))) return `${own}:${await io.fingerprint(io.dirname(path))}`;
  return own;
}

export const imageSetKernel = defineKernel(imageSetNode, {
  async run(_inputs, params, ctx) {
    const images = params.source === 'phantoms' ? await runPhantoms(params, ctx) : await runFolder(params, ctx);
    return { images };
  },
  preview: (outputs) => previewImageSet(outputs.images),
  fingerprint: fingerprintSource,
});
