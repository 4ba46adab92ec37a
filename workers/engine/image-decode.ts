/**
 * PNG/JPEG/DICOM bytes → float pixels in 0..1, resized to size×size. Plain JS (fast-png, jpeg-js, dicom-parser,
 * no canvas; JPEG 2000 / JPEG-LS DICOM via WebAssembly codecs, see prepareDecode) so the CLI in Node and the
 * browser worker produce the same numbers. The format is sniffed from the
 * bytes, never the name. High-bit-depth images (16-bit PNG, DICOM) are mapped to 0..1 by a window (see applyWindow).
 */
import { decode as decodePng } from 'fast-png';
import jpeg from 'jpeg-js';
import { type DicomRaster, decodeDicomRaster, ensureDicomCodecs, sniffDicom } from './dicom-decode';

export type ImageFormat = 'png' | 'jpeg' | 'dicom';

export type DecodedImage = {
  /** size*size*channels values in 0..1, row-major, channels interleaved. */
  data: Float32Array;
  /** Dimensions of the source image (before resizing). */
  width: number;
  height: number;
  channels: 1 | 3;
  format: ImageFormat;
  /** Frames in the source (DICOM multi-frame: only the first is used). */
  frames: number;
};

/**
 * How stored values map to 0..1. auto: a DICOM file's own Window Center/Width, else its min–max; PNG/JPEG use
 * their full range (so 8-bit and 16-bit PNGs load as they always did). minmax: each image's own min–max.
 * full: the whole range the bits can hold. manual: `center`/`width` in stored units (DICOM: after rescale).
 */
export type WindowMode = 'auto' | 'minmax' | 'full' | 'manual';
export type WindowOptions = { mode: WindowMode; center?: number; width?: number };

export type DecodeOptions = { size: number; grayscale: boolean; window?: WindowOptions };

/** Refuse images whose decoded pixels would not fit comfortably in memory (about 400 MB as RGBA). */
const MAX_PIXELS = 100_000_000;

/**
 * Decoded pixels before windowing: stored values (PNG/JPEG samples 0..2^depth-1; DICOM modality values),
 * the range their bits can hold, and the file's own window if it has one.
 */
type Raster = Omit<DicomRaster, 'bitsStored'> & { format: ImageFormat };

export function sniffFormat(bytes: Uint8Array): ImageFormat | null {
  if (bytes.length >= 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return 'png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (sniffDicom(bytes)) return 'dicom';
  return null;
}

/**
 * Loads what decodeImage needs for these bytes that starts asynchronously: the WebAssembly codec of a JPEG 2000 or
 * JPEG-LS DICOM file, on first use. Resolves at once for everything else. Await it before decodeImage/decodeMask.
 */
export async function prepareDecode(bytes: Uint8Array, name: string): Promise<void> {
  if (!sniffDicom(bytes)) return;
  try {
    await ensureDicomCodecs(bytes);
  } catch (err) {
    throw new Error(`${name}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

export function decodeImage(bytes: Uint8Array, name: string, opts: DecodeOptions): DecodedImage {
  const raster = decodeRaster(bytes, name);
  const windowed = applyWindow(raster, opts.window ?? { mode: 'auto' }, name);
  const src = opts.grayscale && windowed.channels === 3 ? toGrey(windowed) : windowed;
  const resized = resizeArea(src.data, src.width, src.height, src.channels, opts.size, opts.size);
  // Grey sources asked for RGB are replicated so downstream always sees the requested channel count.
  const data = !opts.grayscale && src.channels === 1 ? replicate(resized, 3) : resized;
  return { data, width: raster.width, height: raster.height, channels: opts.grayscale ? 1 : 3, format: raster.format, frames: raster.frames };
}

/** A mask file: one channel, 1 where the (resized) mask is at least half on. Masks always use their full range. */
export function decodeMask(bytes: Uint8Array, name: string, opts: { size: number }): DecodedImage {
  const img = decodeImage(bytes, name, { size: opts.size, grayscale: true, window: { mode: 'full' } });
  const data = img.data;
  for (let i = 0; i < data.length; i++) data[i] = data[i]! >= 0.5 ? 1 : 0;
  return img;
}

/** The [lower, upper] stored values that map to 0 and 1 for a window mode (see WindowMode). */
function windowBounds(r: Raster, opts: WindowOptions, name = 'image'): { lower: number; upper: number } {
  let mode = opts.mode;
  if (mode === 'auto') mode = r.format !== 'dicom' ? 'full' : r.voi ? 'manual' : 'minmax';
  if (mode === 'full') return { lower: r.full.lo, upper: r.full.hi };
  if (mode === 'minmax') {
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of r.data) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    return { lower: lo, upper: hi };
  }
  const voi = opts.mode === 'manual' ? { center: opts.center, width: opts.width } : r.voi!;
  if (voi.center === undefined || voi.width === undefined || !Number.isFinite(voi.center) || !(voi.width >= 1)) {
    throw new Error(`${name}: manual window needs windowCenter and a windowWidth of at least 1`);
  }
  // DICOM PS3.3 C.11.2.1.2.1 (linear VOI LUT): x <= c - 0.5 - (w-1)/2 → 0; x > c - 0.5 + (w-1)/2 → 1;
  // between: ((x - (c - 0.5)) / (w - 1) + 0.5), which is (x - lower) / (upper - lower).
  return { lower: voi.center - 0.5 - (voi.width - 1) / 2, upper: voi.center - 0.5 + (voi.width - 1) / 2 };
}

/**
 * Stored values → 0..1: y = 0 for x <= lower, 1 for x > upper, else (x - lower) / (upper - lower); a window of
 * zero width is a threshold. MONOCHROME1 images are then inverted (y → 1 - y) so high values look dark, as intended.
 */
function applyWindow(r: Raster, opts: WindowOptions, name: string): Raster {
  const { lower, upper } = windowBounds(r, opts, name);
  const span = upper - lower;
  const out = new Float32Array(r.data.length);
  for (let i = 0; i < out.length; i++) {
    const x = r.data[i]!;
    const y = x <= lower ? 0 : x > upper ? 1 : (x - lower) / span;
    out[i] = r.invert ? 1 - y : y;
  }
  return { ...r, data: out };
}

function decodeRaster(bytes: Uint8Array, name: string): Raster {
  const format = sniffFormat(bytes);
  if (format === 'png') return decodePngRaster(bytes, name);
  if (format === 'jpeg') return decodeJpegRaster(bytes, name);
  if (format === 'dicom') {
    try {
      return { ...decodeDicomRaster(bytes), format: 'dicom' };
    } catch (err) {
      throw new Error(`${name}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  throw new Error(`${name}: not a PNG, JPEG or DICOM file (${bytes.length === 0 ? 'empty file' : 'unknown file signature'})`);
}

/** PNG/JPEG samples run 0..max, with no window of their own. */
function fixed(max: number, format: ImageFormat = 'png') {
  return { full: { lo: 0, hi: max }, voi: null, invert: false, format, frames: 1 };
}

function decodePngRaster(bytes: Uint8Array, name: string): Raster {
  // IHDR sits right after the signature: check the size before inflating anything.
  if (bytes.length < 33) throw new Error(`${name}: truncated PNG: header incomplete`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const w = view.getUint32(16);
  const h = view.getUint32(20);
  if (w === 0 || h === 0) throw new Error(`${name}: invalid PNG: ${w}×${h} pixels`);
  if (w * h > MAX_PIXELS) throw new Error(`${name}: image too large (${w}×${h} pixels)`);
  let png: ReturnType<typeof decodePng>;
  try {
    png = decodePng(bytes);
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    const truncated = /end of|out of bounds|offset|outside|unexpected end|incomplete/i.test(msg);
    throw new Error(`${name}: ${truncated ? 'truncated' : 'invalid'} PNG: ${msg}`);
  }
  const { width, height, depth, channels } = png;
  const n = width * height;
  if (png.palette) {
    const idx = unpackSamples(png.data, width, height, 1, depth);
    const out = new Float32Array(n * 3);
    for (let i = 0; i < n; i++) {
      const c = png.palette[idx[i]!];
      if (!c) throw new Error(`${name}: invalid PNG: palette index ${idx[i]} out of range`);
      out[i * 3] = c[0] ?? 0;
      out[i * 3 + 1] = c[1] ?? 0;
      out[i * 3 + 2] = c[2] ?? 0;
    }
    return { ...fixed(255), width, height, channels: 3, data: out };
  }
  const samples = unpackSamples(png.data, width, height, channels, depth);
  const max = 2 ** depth - 1;
  const expected = n * channels;
  if (samples.length < expected) throw new Error(`${name}: truncated PNG: ${samples.length} of ${expected} samples`);
  // Keep colour (1 = grey, 3 = RGB), drop alpha (grey+alpha = 2, RGBA = 4).
  const outC: 1 | 3 = channels <= 2 ? 1 : 3;
  const out = new Float32Array(n * outC);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < outC; c++) out[i * outC + c] = samples[i * channels + c]!;
  }
  return { ...fixed(max), width, height, channels: outC, data: out };
}

/** fast-png keeps 1/2/4-bit rows packed (each row padded to a byte); spread them to one sample per entry. */
function unpackSamples(
  data: Uint8Array | Uint8ClampedArray | Uint16Array,
  width: number,
  height: number,
  channels: number,
  depth: number,
): ArrayLike<number> {
  if (depth >= 8) return data;
  const perRow = width * channels;
  const rowBytes = Math.ceil((perRow * depth) / 8);
  const out = new Uint8Array(perRow * height);
  const mask = (1 << depth) - 1;
  for (let y = 0; y < height; y++) {
    for (let i = 0; i < perRow; i++) {
      const bit = i * depth;
      const byte = data[y * rowBytes + (bit >> 3)] ?? 0;
      out[y * perRow + i] = (byte >> (8 - depth - (bit & 7))) & mask;
    }
  }
  return out;
}

function decodeJpegRaster(bytes: Uint8Array, name: string): Raster {
  let img: { width: number; height: number; data: Uint8Array };
  try {
    img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: MAX_PIXELS / 1e6 });
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    throw new Error(`${name}: couldn't decode JPEG: ${msg}`);
  }
  const { width, height, data } = img;
  const n = width * height;
  if (n === 0 || data.length < n * 4) throw new Error(`${name}: couldn't decode JPEG: no pixel data`);
  const out = new Float32Array(n * 3);
  for (let i = 0; i < n; i++) {
    out[i * 3] = data[i * 4]!;
    out[i * 3 + 1] = data[i * 4 + 1]!;
    out[i * 3 + 2] = data[i * 4 + 2]!;
  }
  return { ...fixed(255, 'jpeg'), width, height, channels: 3, data: out };
}

/** Luminance (ITU-R BT.601 weights). */
function toGrey(r: Raster): Raster {
  const n = r.width * r.height;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = 0.299 * r.data[i * 3]! + 0.587 * r.data[i * 3 + 1]! + 0.114 * r.data[i * 3 + 2]!;
  return { ...r, channels: 1, data: out };
}

function replicate(grey: Float32Array, channels: number): Float32Array {
  const out = new Float32Array(grey.length * channels);
  for (let i = 0; i < grey.length; i++) for (let c = 0; c < channels; c++) out[i * channels + c] = grey[i]!;
  return out;
}

type Taps = { start: Int32Array; count: Int32Array; idx: Int32Array; w: Float32Array };

/**
 * Source taps for each output position along one axis. Shrinking: exact area average (each output pixel is the
 * coverage-weighted mean of the source pixels under it). Enlarging: bilinear between pixel centres.
 */
function axisTaps(inLen: number, outLen: number): Taps {
  const idx: number[] = [];
  const w: number[] = [];
  const start = new Int32Array(outLen);
  const count = new Int32Array(outLen);
  const scale = inLen / outLen;
  for (let o = 0; o < outLen; o++) {
    start[o] = idx.length;
    if (scale >= 1) {
      const lo = o * scale;
      const hi = lo + scale;
      for (let i = Math.floor(lo); i < Math.min(inLen, Math.ceil(hi)); i++) {
        const cover = Math.min(hi, i + 1) - Math.max(lo, i);
        if (cover > 1e-9) {
          idx.push(i);
          w.push(cover / scale);
        }
      }
    } else {
      const x = Math.min(Math.max((o + 0.5) * scale - 0.5, 0), inLen - 1);
      const i0 = Math.floor(x);
      const i1 = Math.min(i0 + 1, inLen - 1);
      const t = x - i0;
      idx.push(i0);
      w.push(1 - t);
      if (i1 !== i0 && t > 0) {
        idx.push(i1);
        w.push(t);
      }
    }
    count[o] = idx.length - start[o]!;
  }
  return { start, count, idx: Int32Array.from(idx), w: Float32Array.from(w) };
}

/** Separable resize of an interleaved raster (rows first, then columns). */
export function resizeArea(
  src: Float32Array,
  width: number,
  height: number,
  channels: number,
  outW: number,
  outH: number,
): Float32Array {
  if (width === outW && height === outH) return src.slice();
  const tx = axisTaps(width, outW);
  const ty = axisTaps(height, outH);
  // Horizontal pass: height × outW.
  const mid = new Float32Array(height * outW * channels);
  for (let y = 0; y < height; y++) {
    for (let o = 0; o < outW; o++) {
      const s = tx.start[o]!;
      const e = s + tx.count[o]!;
      for (let c = 0; c < channels; c++) {
        let acc = 0;
        for (let k = s; k < e; k++) acc += tx.w[k]! * src[(y * width + tx.idx[k]!) * channels + c]!;
        mid[(y * outW + o) * channels + c] = acc;
      }
    }
  }
  const out = new Float32Array(outH * outW * channels);
  for (let o = 0; o < outH; o++) {
    const s = ty.start[o]!;
    const e = s + ty.count[o]!;
    for (let x = 0; x < outW * channels; x++) {
      let acc = 0;
      for (let k = s; k < e; k++) acc += ty.w[k]! * mid[ty.idx[k]! * outW * channels + x]!;
      out[o * outW * channels + x] = acc;
    }
  }
  return out;
}
