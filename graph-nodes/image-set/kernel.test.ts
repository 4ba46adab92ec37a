import * as tf from '@tensorflow/tfjs';
import { encode as encodePng } from 'fast-png';
import jpeg from 'jpeg-js';
import { existsSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeIO } from '../../workers/engine/node-io';
import { KizukiError } from '../core/errors';
import { materializeImageSet, streamOf } from '../core/image-stream';
import type { ImageSetValue, KernelContext } from '../core/kernel-types';
import { imageSetNode } from './definition';
import { imageSetKernel, previewIndices, sizeRange } from './kernel';
import { migrateParams } from '../core/define-node';
import { writeDicom } from '../../tests/unit/helpers/dicom-writer';
import { encodeJpeg2000, encodeJpegLs } from '../../tests/unit/helpers/dicom-encoders';

type Params = ReturnType<typeof imageSetNode.params.parse>;
const params = (over: Partial<Params> = {}): Params => imageSetNode.params.parse(over);

function makeCtx(over: Partial<KernelContext> = {}) {
  const warnings: string[] = [];
  const fractions: number[] = [];
  const ctx: KernelContext = {
    nodeId: 't',
    signal: new AbortController().signal,
    progress: (p) => fractions.push(p.fraction),
    warn: (m) => warnings.push(m),
    livePreview() {},
    io: createNodeIO(),
    backend: 'cpu',
    ...over,
  };
  return { ctx, warnings, fractions };
}

const dispose = (v: ImageSetValue) => {
  v.images.dispose();
  v.masks?.dispose();
};

async function run(p: Params, over: Partial<KernelContext> = {}) {
  const { ctx, warnings, fractions } = makeCtx(over);
  const { images } = await imageSetKernel.run({}, p, ctx);
  if (images.images === null) throw new Error('expected a resident image set');
  return { value: images, warnings, fractions };
}

/** The same node when every consumer streams its output: a lazy set. */
async function runLazy(p: Params) {
  const { ctx, warnings } = makeCtx({ streamedOutputs: new Set(['images']) });
  const { images } = await imageSetKernel.run({}, p, ctx);
  if (images.images !== null) throw new Error('expected a lazy image set');
  return { value: images, warnings };
}

async function errorOf(p: Promise<unknown>): Promise<KizukiError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof KizukiError) return err;
    throw err;
  }
  throw new Error('expected a KizukiError');
}

const greyPng = (value: number, w = 8, h = 8) =>
  encodePng({ width: w, height: h, data: new Uint8Array(w * h).fill(value), channels: 1, depth: 8 });
const rgbJpeg = (w = 12, h = 12) => {
  const rgba = new Uint8Array(w * h * 4);
  for (let i = 0; i < w * h; i++) rgba.set([180, 120, 60, 255], i * 4);
  return new Uint8Array(jpeg.encode({ width: w, height: h, data: rgba }, 90).data);
};

describe('image-set params', () => {
  it('has the documented defaults', () => {
    expect(params()).toMatchObject({
      source: 'phantoms',
      path: '',
      normalClass: 'auto',
      include: 'all',
      limit: 0,
      size: 64,
      grayscale: true,
      normals: 48,
      anomalies: 16,
      anomalyKinds: ['nodule', 'opacity', 'mirrored', 'inverted'],
      window: 'auto',
    });
  });

  it('migrates v1 documents to the window params with auto (PNG/JPEG load as before)', () => {
    expect(imageSetNode.version).toBe(2);
    const v1 = { source: 'folder', path: 'x', size: 32 };
    expect(migrateParams(imageSetNode, 1, v1)).toEqual({ ...v1, window: 'auto', windowCenter: 2048, windowWidth: 4096 });
    expect(() => imageSetNode.params.parse({ windowWidth: 0 })).toThrow();
  });

  it('describes source sizes as one size or width × height ranges', () => {
    expect(sizeRange({ minWidth: 512, maxWidth: 512, minHeight: 512, maxHeight: 512 })).toBe('512×512');
    expect(sizeRange({ minWidth: 256, maxWidth: 1024, minHeight: 300, maxHeight: 300 })).toBe('256–1024 × 300');
  });
});

describe('image-set kernel: phantoms', () => {
  it('outputs [N,64,64,1] images, masks and labels with the default params, without leaking tensors', async () => {
    const before = tf.memory().numTensors;
    const { value, fractions } = await run(params());
    expect(tf.memory().numTensors).toBe(before + 2);
    expect(value.images.shape).toEqual([64, 64, 64, 1]);
    expect(value.masks!.shape).toEqual([64, 64, 64, 1]);
    expect(value.images.dtype).toBe('float32');
    expect(Array.from(value.labels)).toEqual([...Array(48).fill(0), ...Array(16).fill(1)]);
    expect(value.names[0]).toBe('phantom-0000-normal.png');
    expect(value.names[48]).toBe('phantom-0048-nodule.png');
    expect(value.summary).toMatchObject({ source: 'phantoms', loaded: 64, skipped: [] });
    expect(value.summary.perClass).toEqual({ normal: 48, nodule: 4, opacity: 4, mirrored: 4, inverted: 4 });
    const px = await value.images.data();
    expect(px.every((v) => v >= 0 && v <= 1)).toBe(true);
    expect(fractions.at(-1)).toBe(1);
    dispose(value);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('replicates grey to 3 channels and keeps the same phantoms under include / limit', async () => {
    const base = params({ normals: 6, anomalies: 4, size: 32, seed: 3 });
    const { value: all } = await run(base);
    const { value: rgb } = await run({ ...base, grayscale: false });
    expect(rgb.images.shape).toEqual([10, 32, 32, 3]);
    const grey = await all.images.data();
    const col = await rgb.images.data();
    for (let i = 0; i < grey.length; i += 97) {
      expect(col[i * 3]).toBe(grey[i]);
      expect(col[i * 3 + 2]).toBe(grey[i]);
    }

    const { value: normals } = await run({ ...base, include: 'normal' });
    expect(normals.names).toEqual(all.names.slice(0, 6));
    expect(Array.from(normals.labels)).toEqual([0, 0, 0, 0, 0, 0]);
    expect((await normals.masks!.data()).every((v) => v === 0)).toBe(true);
    // Same seed and index → same pixels whether or not the anomalies are generated.
    expect(Array.from(await normals.images.data())).toEqual(Array.from(grey.subarray(0, 6 * 32 * 32)));

    const { value: anomalous } = await run({ ...base, include: 'anomalous', limit: 3 });
    expect(anomalous.images.shape[0]).toBe(3);
    expect(Array.from(anomalous.labels)).toEqual([1, 1, 1]);
    const ids = anomalous.names.map((n) => Number(n.slice(8, 12)));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    for (const v of [all, rgb, normals, anomalous]) dispose(v);
  });

  it('fails with NO_IMAGES when nothing is requested, and stops when aborted', async () => {
    const err = await errorOf(run(params({ normals: 0, anomalies: 5, include: 'normal' })));
    expect(err.info.code).toBe('NO_IMAGES');
    const ac = new AbortController();
    ac.abort();
    const before = tf.memory().numTensors;
    await expect(run(params(), { signal: ac.signal })).rejects.toMatchObject({ name: 'AbortError' });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('previews mixed thumbnails and counts without leaking tensors', async () => {
    const { value } = await run(params({ size: 128, normals: 10, anomalies: 6 }));
    const before = tf.memory().numTensors;
    const preview = await imageSetKernel.preview!({ images: value }, params());
    expect(tf.memory().numTensors).toBe(before);
    const [imgs, text] = preview;
    if (imgs?.kind !== 'images' || text?.kind !== 'text') throw new Error('unexpected preview kinds');
    expect(imgs.total).toBe(16);
    expect(imgs.images).toHaveLength(8);
    expect(new Set(imgs.images.map((i) => i.label))).toEqual(new Set([0, 1]));
    for (const t of imgs.images) {
      expect(t.width).toBe(64);
      expect(t.height).toBe(64);
      expect(t.rgba).toBeInstanceOf(Uint8ClampedArray);
      expect(t.rgba.length).toBe(64 * 64 * 4);
    }
    // Anomalies carry a red mask outline; normals are pure grey.
    const red = (rgba: Uint8ClampedArray) => rgba.some((_, i) => i % 4 === 0 && rgba[i]! === 255 && rgba[i + 1]! === 60);
    expect(imgs.images.filter((i) => i.label === 1).every((i) => red(i.rgba))).toBe(true);
    expect(imgs.images.filter((i) => i.label === 0).some((i) => red(i.rgba))).toBe(false);
    expect(text.lines[0]).toBe('10 normal, 6 anomalous');
    dispose(value);
  });

  it('picks preview indices from both classes', () => {
    expect(previewIndices(Int8Array.from([0, 0, 0, 0, 0, 0, 1, 1]), 4)).toEqual([0, 1, 6, 7]);
    expect(previewIndices(Int8Array.from([1, 1]), 8)).toEqual([0, 1]);
  });

  it('has an empty fingerprint', async () => {
    expect(await imageSetKernel.fingerprint!(params(), createNodeIO())).toBe('');
  });
});

describe('image-set kernel: folder', () => {
  let root: string;
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'kizuki-imageset-'));
    const put = (rel: string, bytes: Uint8Array | string) => {
      mkdirSync(join(root, rel, '..'), { recursive: true });
      writeFileSync(join(root, rel), bytes);
    };
    put('data/train/NORMAL/n1.png', greyPng(51));
    put('data/train/NORMAL/n2.png', greyPng(102, 16, 16));
    put('data/train/NORMAL/n3.jpeg', rgbJpeg());
    put('data/train/PNEUMONIA/p1.png', greyPng(204));
    put('data/train/PNEUMONIA/p2.jpg', rgbJpeg(20, 10));
    put('data/test/NORMAL/t1.png', greyPng(0));
    put('data/test/NORMAL/broken.jpeg', new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, 1, 2, 3]));
    put('data/test/PNEUMONIA/t2.png', greyPng(255));
    put('data/test/NORMAL/readme.md', 'not an image');
    mkdirSync(join(root, 'empty'));
    put('bad/NORMAL/x.png', 'garbage');
    // DICOM: a 12-bit image with a window, a MONOCHROME1 one without extension, a two-frame RLE, an HTJ2K (skipped).
    put('dicom/NORMAL/a.dcm', writeDicom({ rows: 4, cols: 4, bitsStored: 12, pixels: Array(16).fill(1100), window: { center: 1000, width: 401 } }));
    put('dicom/NORMAL/IM0002', writeDicom({ rows: 2, cols: 3, bitsAllocated: 8, pixels: Array(6).fill(51), photometric: 'MONOCHROME1', syntax: 'implicitLE' }));
    put('dicom/NORMAL/c.png', greyPng(102));
    put('dicom/NODULE/d.dcm', writeDicom({ rows: 8, cols: 2, frames: 2, syntax: 'rle', pixels: [...Array(16).fill(0), ...Array(16).fill(7)] }));
    put('dicom/NODULE/e.dcm', writeDicom({ rows: 2, cols: 2, syntax: 'htj2k', pixels: [], encodedFrames: [Uint8Array.from([0xff, 0x4f])] }));
    // JPEG 2000 and JPEG-LS (lossless, 16-bit): a ramp, so min–max windowing maps the first pixel to 0, the last to 1.
    const ramp = Array.from({ length: 256 }, (_, i) => 1000 + i * 200);
    const frame = { width: 16, height: 16, bitsPerSample: 16 };
    put('codecs/NORMAL/j2k.dcm', writeDicom({ rows: 16, cols: 16, pixels: [], syntax: 'jpeg2000', encodedFrames: [await encodeJpeg2000(ramp, frame)] }));
    put('codecs/NORMAL/jls.dcm', writeDicom({ rows: 16, cols: 16, pixels: [], syntax: 'jpegLs', encodedFrames: [await encodeJpegLs(ramp, frame)] }));
    put('codecs/ANOMALY/raw.dcm', writeDicom({ rows: 16, cols: 16, pixels: ramp }));
    put('dicom/DICOMDIR', writeDicom({ rows: 1, cols: 1, pixels: [0] }));
    // CSV with masks (a half-on mask for the anomaly).
    const mask = new Uint8Array(256).fill(0);
    for (let y = 0; y < 16; y++) for (let x = 0; x < 8; x++) mask[y * 16 + x] = 255;
    put('csv/img/a.png', greyPng(10));
    put('csv/img/b.png', greyPng(240, 16, 16));
    put('csv/masks/b.png', encodePng({ width: 16, height: 16, data: mask, channels: 1, depth: 8 }));
    put('csv/labels.csv', 'path,label,split,mask\nimg/a.png,good,train,\nimg/b.png,defect,test,masks/b.png\n');
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('loads every readable file, skips the corrupt one and warns', async () => {
    const before = tf.memory().numTensors;
    const { value, warnings } = await run(params({ source: 'folder', path: join(root, 'data'), size: 16 }));
    expect(tf.memory().numTensors).toBe(before + 1);
    expect(value.images.shape).toEqual([7, 16, 16, 1]);
    expect(value.masks).toBeNull();
    expect(value.names).toEqual([
      'test/NORMAL/t1.png',
      'test/PNEUMONIA/t2.png',
      'train/NORMAL/n1.png',
      'train/NORMAL/n2.png',
      'train/NORMAL/n3.jpeg',
      'train/PNEUMONIA/p1.png',
      'train/PNEUMONIA/p2.jpg',
    ]);
    expect(Array.from(value.labels)).toEqual([0, 1, 0, 0, 0, 1, 1]);
    expect(value.summary.loaded).toBe(7);
    expect(value.summary.skipped).toHaveLength(1);
    expect(value.summary.skipped[0]!.name).toBe('test/NORMAL/broken.jpeg');
    expect(value.summary.skipped[0]!.reason).toMatch(/JPEG/);
    expect(value.summary.perClass).toEqual({ NORMAL: 4, PNEUMONIA: 3 });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^1 file skipped/);
    // Hand-computed pixels: n1 (8×8 of 51, upsampled) is 0.2 everywhere; n2 (16×16 of 102) is 0.4.
    const px = await value.images.data();
    expect(px[2 * 256 + 10]).toBeCloseTo(0.2, 6);
    expect(px[2 * 256 + 255]).toBeCloseTo(0.2, 6);
    expect(px[3 * 256 + 33]).toBeCloseTo(0.4, 6);
    // JPEG grey = luminance of (180,120,60) within JPEG error.
    expect(Math.abs(px[4 * 256 + 20]! - (0.299 * 180 + 0.587 * 120 + 0.114 * 60) / 255)).toBeLessThan(0.03);

    const preview = await imageSetKernel.preview!({ images: value }, params());
    const text = preview[1];
    expect(text).toMatchObject({ kind: 'text' });
    if (text?.kind === 'text') {
      expect(text.lines[0]).toBe('4 normal, 3 anomalous');
      expect(text.lines.at(-1)).toMatch(/^1 skipped: test\/NORMAL\/broken\.jpeg \(/);
    }
    expect(tf.memory().numTensors).toBe(before + 1);
    dispose(value);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('loads DICOM next to PNG: windows, MONOCHROME1, multi-frame; summary with formats, sizes and the skipped HTJ2K', async () => {
    const { value, warnings } = await run(params({ source: 'folder', path: join(root, 'dicom'), size: 16 }));
    expect(value.names).toEqual(['NODULE/d.dcm', 'NORMAL/IM0002', 'NORMAL/a.dcm', 'NORMAL/c.png']);
    expect(value.summary.formats).toEqual({ DICOM: 3, PNG: 1 });
    expect(value.summary.sourceSizes).toEqual({ minWidth: 2, maxWidth: 8, minHeight: 2, maxHeight: 8 });
    expect(value.summary.multiFrame).toBe(1);
    expect(value.summary.skipped).toEqual([{ name: 'NODULE/e.dcm', reason: expect.stringMatching(/^HTJ2K lossless .*not supported yet.*gdcmconv/) }]);
    expect(warnings[0]).toMatch(/1 file skipped \(NODULE\/e\.dcm: HTJ2K/);
    const px = await value.images.data();
    // d.dcm frame 1 is all 0 → min–max of a flat image → 0. IM0002: 8-bit flat 51 → min–max 0 → MONOCHROME1 → 1.
    expect(px[0]).toBe(0);
    expect(px[256]).toBe(1);
    // a.dcm: window c=1000, w=401 → (1100 − 799.5) / 400 = 0.75125 (PS3.3 C.11.2.1.2).
    expect(px[512]).toBeCloseTo(0.75125, 6);
    // c.png keeps its full range: 102/255.
    expect(px[768]).toBeCloseTo(0.4, 6);
    // Manual window in stored units: c = 1100.5, w = 1 is a threshold at c − 0.5 = 1100; x <= 1100 maps to 0.
    const manual = await run(params({ source: 'folder', path: join(root, 'dicom'), size: 16, window: 'manual', windowCenter: 1100.5, windowWidth: 1 }));
    expect((await manual.value.images.data())[512]).toBe(0);
    const preview = await imageSetKernel.preview!({ images: value }, params());
    const text = preview[1];
    if (text?.kind !== 'text') throw new Error('expected a text preview');
    expect(text.lines).toContain('formats: 3 DICOM, 1 PNG');
    expect(text.lines).toContain('source sizes: 2–8 × 2–8');
    expect(text.lines).toContain('1 multi-frame DICOM file: first frame used');
    expect(text.lines.at(-1)).toMatch(/^1 skipped: NODULE\/e\.dcm \(HTJ2K/);
    dispose(value);
    dispose(manual.value);
  });

  it('loads JPEG 2000 and JPEG-LS DICOM (WebAssembly codecs) to the same pixels as the uncompressed file', async () => {
    const { value, warnings } = await run(params({ source: 'folder', path: join(root, 'codecs'), size: 16 }));
    expect(warnings).toEqual([]);
    expect(value.names).toEqual(['ANOMALY/raw.dcm', 'NORMAL/j2k.dcm', 'NORMAL/jls.dcm']);
    expect(value.summary.formats).toEqual({ DICOM: 3 });
    const px = Array.from(await value.images.data());
    const raw = px.slice(0, 256);
    expect(raw[0]).toBe(0);
    expect(raw[255]).toBe(1);
    expect(px.slice(256, 512)).toEqual(raw);
    expect(px.slice(512, 768)).toEqual(raw);
    dispose(value);
  });

  it('honours split, include, RGB output and normalClass', async () => {
    const p = params({ source: 'folder', path: join(root, 'data'), size: 16, split: 'test' });
    const { value: test, warnings } = await run(p);
    expect(test.names).toEqual(['test/NORMAL/t1.png', 'test/PNEUMONIA/t2.png']);
    expect(warnings[0]).toMatch(/1 file skipped/);
    const { value: rgb } = await run({ ...p, split: 'train', grayscale: false, include: 'anomalous' });
    expect(rgb.images.shape).toEqual([2, 16, 16, 3]);
    const { value: flipped } = await run({ ...p, normalClass: 'PNEUMONIA' });
    expect(Array.from(flipped.labels)).toEqual([1, 0]);
    for (const v of [test, rgb, flipped]) dispose(v);
    const err = await errorOf(run({ ...p, normalClass: 'HEALTHY' }));
    expect(err.info).toMatchObject({ code: 'INVALID_PARAM', field: 'normalClass', nodeId: 't' });
    expect(err.message).toContain('NORMAL, PNEUMONIA');
  });

  it('reads a CSV with labels, splits and masks', async () => {
    const p = params({ source: 'folder', path: join(root, 'csv', 'labels.csv'), size: 16 });
    const { value } = await run(p);
    expect(value.names).toEqual(['img/a.png', 'img/b.png']);
    expect(Array.from(value.labels)).toEqual([0, 1]);
    expect(value.masks!.shape).toEqual([2, 16, 16, 1]);
    const m = await value.masks!.data();
    expect(Array.from(m.subarray(0, 256)).every((v) => v === 0)).toBe(true);
    expect(Array.from(m.subarray(256, 272))).toEqual([...Array(8).fill(1), ...Array(8).fill(0)]);
    dispose(value);
    const { value: test } = await run({ ...p, split: 'test' });
    expect(test.names).toEqual(['img/b.png']);
    dispose(test);
  });

  it('maps bad paths and empty or unreadable folders to error codes', async () => {
    const before = tf.memory().numTensors;
    const empty = await errorOf(run(params({ source: 'folder', path: '' })));
    expect(empty.info).toMatchObject({ code: 'INVALID_PARAM', field: 'path', nodeId: 't' });
    const missing = await errorOf(run(params({ source: 'folder', path: join(root, 'nope') })));
    expect(missing.info).toMatchObject({ code: 'FILE_NOT_FOUND', nodeId: 't' });
    expect(missing.message).toContain(join(root, 'nope'));
    const none = await errorOf(run(params({ source: 'folder', path: join(root, 'empty') })));
    expect(none.info.code).toBe('NO_IMAGES');
    const bad = await errorOf(run(params({ source: 'folder', path: join(root, 'bad') })));
    expect(bad.info.code).toBe('NO_IMAGES');
    expect(bad.message).toContain('1 skipped');
    expect(tf.memory().numTensors).toBe(before);
  });

  it('streams a lazy set with the same list, skips, pixels and masks as the resident one, holding no tensors', async () => {
    const signal = new AbortController().signal;
    for (const p of [
      params({ source: 'folder', path: join(root, 'data'), size: 16 }),
      params({ source: 'folder', path: join(root, 'csv', 'labels.csv'), size: 16 }),
      params({ source: 'folder', path: join(root, 'dicom'), size: 16 }),
      params({ normals: 5, anomalies: 3, size: 24, grayscale: false }),
    ]) {
      const before = tf.memory().numTensors;
      const { value: lazy, warnings } = await runLazy(p);
      expect(tf.memory().numTensors).toBe(before);
      const { value: resident, warnings: residentWarnings } = await run(p);
      expect(lazy.names).toEqual(resident.names);
      expect(Array.from(lazy.labels)).toEqual(Array.from(resident.labels));
      expect(lazy.summary).toEqual(resident.summary);
      expect(warnings).toEqual(residentWarnings);
      expect(lazy.imageShape).toEqual(resident.images.shape.slice(1));
      expect(lazy.hasMasks).toBe(resident.masks !== null);

      // A stream over either reads the same batches.
      const n = lazy.labels.length;
      const a = await streamOf(lazy).read(1, n - 1, signal);
      const b = await streamOf(resident).read(1, n - 1, signal);
      expect(Array.from(await a.data())).toEqual(Array.from(await b.data()));
      tf.dispose([a, b]);

      // Materialised, it equals the resident set, masks included.
      const whole = await materializeImageSet(lazy, signal);
      expect(Array.from(await whole.images.data())).toEqual(Array.from(await resident.images.data()));
      expect(whole.masks ? Array.from(await whole.masks.data()) : null).toEqual(resident.masks ? Array.from(await resident.masks.data()) : null);

      // The preview reads its thumbnails from the source and shows the same thing.
      expect(await imageSetKernel.preview!({ images: lazy }, p)).toEqual(await imageSetKernel.preview!({ images: resident }, p));
      dispose(whole);
      dispose(resident);
      expect(tf.memory().numTensors).toBe(before);
    }
  });

  it('fails a lazy read clearly when a listed file became unreadable', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kizuki-lazy-'));
    mkdirSync(join(dir, 'NORMAL'));
    writeFileSync(join(dir, 'NORMAL', 'a.png'), greyPng(10));
    writeFileSync(join(dir, 'NORMAL', 'b.png'), greyPng(20));
    const { value } = await runLazy(params({ source: 'folder', path: dir, size: 16 }));
    writeFileSync(join(dir, 'NORMAL', 'b.png'), 'garbage');
    const err = await errorOf(streamOf(value).read(0, 2, new AbortController().signal));
    expect(err.info).toMatchObject({ code: 'KERNEL_FAILED', nodeId: 't' });
    expect(err.message).toContain('NORMAL/b.png');
    expect(err.info.hint).toMatch(/run again/);
    rmSync(dir, { recursive: true, force: true });
  });

  it('fingerprints the folder so changed files invalidate the cache', async () => {
    const io = createNodeIO();
    const p = params({ source: 'folder', path: join(root, 'data') });
    const a = await imageSetKernel.fingerprint!(p, io);
    expect(a).not.toBe('');
    expect(await imageSetKernel.fingerprint!(p, io)).toBe(a);
    writeFileSync(join(root, 'data/train/NORMAL/n1.png'), greyPng(52, 9, 9));
    expect(await imageSetKernel.fingerprint!(p, io)).not.toBe(a);
    const csv = params({ source: 'folder', path: join(root, 'csv', 'labels.csv') });
    const c = await imageSetKernel.fingerprint!(csv, io);
    writeFileSync(join(root, 'csv/img/a.png'), greyPng(11, 9, 9));
    expect(await imageSetKernel.fingerprint!(csv, io)).not.toBe(c);
  });
});

// The real data set lives outside the repository (../shared); skip when it is absent.
const realCsv = resolve(process.cwd(), '../shared/data/cxr-pneumonia-224/labels.csv');
describe('image-set kernel: real chest X-rays', () => {
  it.skipIf(!existsSync(realCsv))('loads 10 test images from the CSV', async () => {
    const { value } = await run(params({ source: 'folder', path: realCsv, split: 'test', limit: 10, size: 64 }));
    expect(value.images.shape).toEqual([10, 64, 64, 1]);
    expect(value.summary.skipped).toEqual([]);
    expect(value.masks).toBeNull();
    dispose(value);
  });
});
