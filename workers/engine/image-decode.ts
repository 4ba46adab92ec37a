/**
 * PNG/JPEG bytes → float pixels in 0..1, resized to size×size. Plain JS (fast-png, jpeg-js, no canvas) so the
 * CLI in Node and the browser worker produce the same numbers. The format is sniffed from the bytes, never the name.
 */
import { decode as decodePng } from 'fast-png';
import jpeg from 'jpeg-js';

export type DecodedImage = {
  /** size*size*channels values in 0..1, row-major, channels interleaved. */
  data: Float32Array;
  /** Dimensions of the source image (before resizing). */
  width: number;
  height: number;
  channels: 1 | 3;
};

export type DecodeOptions = { size: number; grayscale: boolean };

/** Refuse images whose decoded pixels would not fit comfortably in memory (about 400 MB as RGBA). */
const MAX_PIXELS = 100_000_000;

type Raster = { width: number; height: number; channels: 1 | 3; data: Float32Array };

export function sniffFormat(bytes: Uint8Array): 'png' | 'jpeg' | null {
  if (bytes.length >= 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return 'png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  return null;
}

export function decodeImage(bytes: Uint8Array, name: string, opts: DecodeOptions): DecodedImage {
  const raster = decodeRaster(bytes, name);
  const src = opts.grayscale && raster.channels === 3 ? toGrey(raster) : raster;
  const resized = resizeArea(src.data, src.width, src.height, src.channels, opts.size, opts.size);
  // Grey sources asked for RGB are replicated so downstream always sees the requested channel count.
  const data = !opts.grayscale && src.channels === 1 ? replicate(resized, 3) : resized;
  return { data, width: raster.width, height: raster.height, channels: opts.grayscale ? 1 : 3 };
}

/** A mask file: one channel, 1 where the (resized) mask is at least half on. */
export function decodeMask(bytes: Uint8Array, name: string, opts: { size: number }): DecodedImage {
  const img = decodeImage(bytes, name, { size: opts.size, grayscale: true });
  const data = img.data;
  for (let i = 0; i < data.length; i++) data[i] = data[i]! >= 0.5 ? 1 : 0;
  return img;
}

function decodeRaster(bytes: Uint8Array, name: string): Raster {
  const format = sniffFormat(bytes);
  if (format === 'png') return decodePngRaster(bytes, name);
  if (format === 'jpeg') return decodeJpegRaster(bytes, name);
  throw new Error(`${name}: not a PNG or JPEG (${bytes.length === 0 ? 'empty file' : 'unknown file signature'})`);
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
      out[i * 3] = (c[0] ?? 0) / 255;
      out[i * 3 + 1] = (c[1] ?? 0) / 255;
      out[i * 3 + 2] = (c[2] ?? 0) / 255;
    }
    return { width, height, channels: 3, data: out };
  }
  const samples = unpackSamples(png.data, width, height, channels, depth);
  const max = 2 ** depth - 1;
  const expected = n * channels;
  if (samples.length < expected) throw new Error(`${name}: truncated PNG: ${samples.length} of ${expected} samples`);
  // Keep colour (1 = grey, 3 = RGB), drop alpha (grey+alpha = 2, RGBA = 4).
  const outC: 1 | 3 = channels <= 2 ? 1 : 3;
  const out = new Float32Array(n * outC);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < outC; c++) out[i * outC + c] = samples[i * channels + c]! / max;
  }
  return { width, height, channels: outC, data: out };
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
    out[i * 3] = data[i * 4]! / 255;
    out[i * 3 + 1] = data[i * 4 + 1]! / 255;
    out[i * 3 + 2] = data[i * 4 + 2]! / 255;
  }
  return { width, height, channels: 3, data: out };
}

/** Luminance (ITU-R BT.601 weights). */
function toGrey(r: Raster): Raster {
  const n = r.width * r.height;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = 0.299 * r.data[i * 3]! + 0.587 * r.data[i * 3 + 1]! + 0.114 * r.data[i * 3 + 2]!;
  return { width: r.width, height: r.height, channels: 1, data: out };
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
