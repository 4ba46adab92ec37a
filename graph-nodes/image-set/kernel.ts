/**
 * Image set: N images as float32 [N,size,size,C] in 0..1 (C = 1 grey, 3 RGB), labels Int8Array
 * (0 normal, 1 anomalous, -1 unknown), names, and pixel masks [N,size,size,1] where known
 * (phantoms always; a CSV only with a mask column; class folders never → null).
 * Sources: seeded procedural chest X-ray phantoms, or files read through ctx.io (folder of class folders or CSV).
 * Unreadable files are skipped and listed in summary.skipped; the node fails only if nothing loads.
 */
import * as tf from '@tensorflow/tfjs';
import { decodeImage, decodeMask, prepareDecode, resizeArea, type ImageFormat, type WindowOptions } from '../../workers/engine/image-decode';
import type { ParamsOf } from '../core/define-node';
import { KizukiError } from '../core/errors';
import { readPixels } from '../core/image-stream';
import { defineKernel, throwIfAborted, type DataIO, type ImageSetSummary, type ImageSetValue, type KernelContext, type LazyImageSetValue } from '../core/kernel-types';
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

/** What a source file was before resizing: shown in the dataset summary. */
type SourceFileFacts = { format: ImageFormat; width: number; height: number; frames: number };

/** Where a set's images come from: candidates to read one by one (a read throws for an unreadable file). */
type Candidates = {
  source: string;
  count: number;
  hasMasks: boolean;
  label(i: number): number;
  name(i: number): string;
  className(i: number): string;
  /** Pixels [size,size,C] (and the mask [size,size] when the set has masks) of candidate i; files also say what they were. */
  read(i: number): Promise<{ image: Float32Array; mask: Float32Array | null; file?: SourceFileFacts }>;
};

function phantomCandidates(params: Params, ctx: KernelContext): Candidates {
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
  const px = size * size;
  return {
    source: 'phantoms',
    count: plan.length,
    hasMasks: true,
    label: (i) => plan[i]!.label,
    name: (i) => plan[i]!.name,
    className: (i) => plan[i]!.kind,
    async read(i) {
      const spec = plan[i]!;
      const { image, mask } = generatePhantom({ seed: params.seed, index: spec.index, kind: spec.kind, size });
      if (params.grayscale) return { image, mask };
      const rgb = new Float32Array(px * 3);
      for (let p = 0; p < px; p++) rgb.fill(image[p]!, p * 3, p * 3 + 3);
      return { image: rgb, mask };
    },
  };
}

function reasonOf(err: unknown, name: string): string {
  if (err instanceof KizukiError && err.info.code === 'FILE_NOT_FOUND') return 'file not found';
  const msg = err instanceof Error ? err.message : String(err);
  // Decoder messages start with the file name, which the skipped entry already carries.
  return msg.startsWith(`${name}: `) ? msg.slice(name.length + 2) : msg;
}

async function folderCandidates(params: Params, ctx: KernelContext): Promise<Candidates> {
  const { nodeId, io } = ctx;
  let listing;
  try {
    listing = await listSources(params, io, nodeId);
  } catch (err) {
    throw attributed(err, nodeId);
  }
  const { entries } = listing;
  const { size } = params;
  const windowing: WindowOptions = { mode: params.window, center: params.windowCenter, width: params.windowWidth };
  return {
    source: params.path,
    count: entries.length,
    hasMasks: listing.hasMasks,
    label: (i) => entries[i]!.label,
    name: (i) => entries[i]!.name,
    className: (i) => entries[i]!.className || 'unlabelled',
    async read(i) {
      const e = entries[i]!;
      const bytes = await io.readBytes(e.path);
      await prepareDecode(bytes, e.name);
      const decoded = decodeImage(bytes, e.name, { size, grayscale: params.grayscale, window: windowing });
      const image = decoded.data;
      const file = { format: decoded.format, width: decoded.width, height: decoded.height, frames: decoded.frames };
      if (!listing.hasMasks) return { image, mask: null, file };
      // A CSV with a mask column: rows without a mask are all-normal pixels.
      if (!e.maskPath) return { image, mask: new Float32Array(size * size), file };
      try {
        const maskBytes = await io.readBytes(e.maskPath);
        await prepareDecode(maskBytes, e.maskPath);
        return { image, mask: decodeMask(maskBytes, e.maskPath, { size }).data, file };
      } catch (err) {
        if (isAbort(err)) throw err;
        throw new Error(`mask ${e.maskPath}: ${reasonOf(err, e.maskPath)}`);
      }
    },
  };
}

/** Formats, source sizes and multi-frame files of the images that loaded. */
class FileTally {
  private formats: Record<string, number> = {};
  private minW = Infinity;
  private maxW = 0;
  private minH = Infinity;
  private maxH = 0;
  private multiFrame = 0;
  private seen = 0;

  add(f: SourceFileFacts) {
    const label = f.format === 'dicom' ? 'DICOM' : f.format.toUpperCase();
    this.formats[label] = (this.formats[label] ?? 0) + 1;
    this.minW = Math.min(this.minW, f.width);
    this.maxW = Math.max(this.maxW, f.width);
    this.minH = Math.min(this.minH, f.height);
    this.maxH = Math.max(this.maxH, f.height);
    if (f.frames > 1) this.multiFrame++;
    this.seen++;
  }

  summary(): Pick<ImageSetSummary, 'formats' | 'sourceSizes' | 'multiFrame'> {
    if (this.seen === 0) return {};
    return {
      formats: this.formats,
      sourceSizes: { minWidth: this.minW, maxWidth: this.maxW, minHeight: this.minH, maxHeight: this.maxH },
      multiFrame: this.multiFrame,
    };
  }
}

/**
 * Read every candidate once: unreadable ones are skipped and listed. `keep` holds the pixels as tensors (a resident
 * set); otherwise only the list is kept and pixels are read again on demand (a lazy set, for streaming consumers).
 */
async function loadSet(c: Candidates, params: Params, ctx: KernelContext, keep: boolean): Promise<ImageSetValue | LazyImageSetValue> {
  const { size } = params;
  const channels = params.grayscale ? 1 : 3;
  const px = size * size;
  const images = keep ? new Float32Array(c.count * px * channels) : null;
  const masks = keep && c.hasMasks ? new Float32Array(c.count * px) : null;
  const kept: number[] = [];
  const perClass: Record<string, number> = {};
  const skipped: { name: string; reason: string }[] = [];
  const files = new FileTally();
  let lastYield = Date.now();
  for (let i = 0; i < c.count; i++) {
    throwIfAborted(ctx.signal);
    try {
      const one = await c.read(i);
      throwIfAborted(ctx.signal);
      images?.set(one.image, kept.length * px * channels);
      if (masks && one.mask) masks.set(one.mask, kept.length * px);
      kept.push(i);
      perClass[c.className(i)] = (perClass[c.className(i)] ?? 0) + 1;
      if (one.file) files.add(one.file);
    } catch (err) {
      if (isAbort(err)) throw err;
      skipped.push({ name: c.name(i), reason: reasonOf(err, c.name(i)) });
    }
    ctx.progress({ fraction: (i + 1) / c.count, message: c.source === 'phantoms' ? undefined : `${i + 1} / ${c.count} files` });
    if (Date.now() - lastYield > 50) {
      await yieldToEventLoop();
      lastYield = Date.now();
    }
  }
  throwIfAborted(ctx.signal);

  const n = kept.length;
  if (n === 0) throw new KizukiError('NO_IMAGES', { nodeId: ctx.nodeId, source: c.source, skipped: skipped.length });
  if (skipped.length > 0) {
    const first = skipped[0]!;
    ctx.warn(`${skipped.length} file${skipped.length === 1 ? '' : 's'} skipped (${first.name}: ${first.reason}${skipped.length > 1 ? ', …' : ''})`);
  }
  const meta = {
    kind: 'ImageSet' as const,
    labels: Int8Array.from(kept, (i) => c.label(i)),
    names: kept.map((i) => c.name(i)),
    summary: { source: c.source, loaded: n, skipped, perClass, ...files.summary() },
  };
  if (images) {
    // Exact-length copies: the CPU backend keeps the array it is given, so no oversized buffers behind a tensor.
    const exact = (a: Float32Array, len: number) => (a.length === len ? a : a.slice(0, len));
    return {
      ...meta,
      images: tf.tensor4d(exact(images, n * px * channels), [n, size, size, channels], 'float32'),
      masks: masks ? tf.tensor4d(exact(masks, n * px), [n, size, size, 1], 'float32') : null,
    };
  }
  return {
    ...meta,
    images: null,
    masks: null,
    imageShape: [size, size, channels],
    hasMasks: c.hasMasks,
    source: {
      async read(indices, signal) {
        const out = new Float32Array(indices.length * px * channels);
        const outMasks = c.hasMasks ? new Float32Array(indices.length * px) : null;
        for (let k = 0; k < indices.length; k++) {
          throwIfAborted(signal);
          const i = kept[indices[k]!];
          if (i === undefined) throw new RangeError(`image ${indices[k]} of a set of ${n}`);
          let one;
          try {
            one = await c.read(i);
          } catch (err) {
            if (isAbort(err)) throw err;
            throw new KizukiError('KERNEL_FAILED', {
              nodeId: ctx.nodeId,
              reason: `${c.name(i)} could be read when the set was listed but not now (${reasonOf(err, c.name(i))})`,
              hint: 'The files changed during the run: run again.',
            });
          }
          out.set(one.image, k * px * channels);
          if (outMasks && one.mask) outMasks.set(one.mask, k * px);
        }
        return { images: out, masks: outMasks };
      },
    },
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

async function previewImageSet(value: ImageSetValue | LazyImageSetValue): Promise<NodePreview> {
  const [, size, , channels] = value.images === null ? [0, ...value.imageShape] : value.images.shape;
  const n = value.labels.length;
  const hasMasks = value.images === null ? value.hasMasks : value.masks !== null;
  const pick = previewIndices(value.labels, THUMBS);
  const { images: pixels, masks: maskPixels } = await readPixels(value, pick);
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
    `${n} images, ${size}×${size}, ${channels === 1 ? 'grey' : 'RGB'}${hasMasks ? ', with pixel masks' : ''}`,
    `classes: ${Object.entries(summary.perClass)
      .map(([c, k]) => `${c} ${k}`)
      .join(', ')}`,
  ];
  if (summary.formats) {
    lines.push(
      `formats: ${Object.entries(summary.formats)
        .map(([f, k]) => `${k} ${f}`)
        .join(', ')}`,
    );
  }
  if (summary.sourceSizes) lines.push(`source sizes: ${sizeRange(summary.sourceSizes)}`);
  if (summary.multiFrame) {
    lines.push(`${summary.multiFrame} multi-frame DICOM file${summary.multiFrame === 1 ? '' : 's'}: first frame used`);
  }
  if (summary.skipped.length > 0) {
    const shown = summary.skipped.slice(0, 3).map((s) => `${s.name} (${s.reason})`);
    lines.push(`${summary.skipped.length} skipped: ${shown.join('; ')}${summary.skipped.length > 3 ? '; …' : ''}`);
  }
  return [
    { kind: 'images', title: summary.source === 'phantoms' ? 'Phantoms' : 'Images', total: n, images },
    { kind: 'text', lines },
  ];
}

/** "512×512" when all sources share a size, else "256–1024 × 256–1024" (width range × height range). */
export function sizeRange(s: NonNullable<ImageSetSummary['sourceSizes']>): string {
  const span = (a: number, b: number) => (a === b ? `${a}` : `${a}–${b}`);
  if (s.minWidth === s.maxWidth && s.minHeight === s.maxHeight) return `${s.minWidth}×${s.minHeight}`;
  return `${span(s.minWidth, s.maxWidth)} × ${span(s.minHeight, s.maxHeight)}`;
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
    const candidates = params.source === 'phantoms' ? phantomCandidates(params, ctx) : await folderCandidates(params, ctx);
    // Hold the pixels unless every consumer reads them as a stream (then memory does not grow with the set).
    const keep = !ctx.streamedOutputs?.has('images');
    return { images: await loadSet(candidates, params, ctx, keep) };
  },
  preview: (outputs) => previewImageSet(outputs.images),
  fingerprint: fingerprintSource,
});
