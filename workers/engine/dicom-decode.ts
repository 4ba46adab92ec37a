/**
 * DICOM bytes → one frame of stored pixel values in modality units (after Rescale Slope/Intercept), plus what the
 * windowing step needs: the full value range, the file's own window (Window Center/Width) and whether the image
 * is MONOCHROME1 (displayed inverted). Parsing is done by dicom-parser (cornerstonejs); compressed pixel data by
 * RLE (PS3.5 Annex G, implemented here), jpeg-js (JPEG baseline), jpeg-lossless-decoder-js (JPEG lossless), and
 * WebAssembly builds of OpenJPEG (JPEG 2000 lossless and lossy, .90/.91) and CharLS (JPEG-LS lossless and
 * near-lossless, .80/.81) from @cornerstonejs/codec-openjpeg and codec-charls (see dicom-codecs.ts).
 * The same code runs in Node (CLI) and the browser worker, so both give the same numbers.
 *
 * decodeDicomRaster is synchronous; the WebAssembly codecs start asynchronously, so callers first
 * `await ensureDicomCodecs(bytes)`, which loads a codec only when the file's transfer syntax needs one.
 * Not decoded (skipped with a reason): JPEG Extended 12-bit, HTJ2K, MPEG-2/4, HEVC.
 */
import * as dicomParserModule from 'dicom-parser';
import type { DataSet, Element } from 'dicom-parser';
import { inflateSync } from 'fflate';
import jpeg from 'jpeg-js';
import * as losslessModule from 'jpeg-lossless-decoder-js';
import { type CodecName, decodeCodecFrame, isCodecLoaded, loadCodec } from './dicom-codecs';

// Both packages are CommonJS/UMD: Node's ESM loader exposes them as `default`, bundlers as the namespace itself.
const dicomParser = ((dicomParserModule as unknown as { default?: typeof dicomParserModule }).default ?? dicomParserModule) as typeof dicomParserModule;
const lossless = ((losslessModule as unknown as { default?: typeof losslessModule }).default ?? losslessModule) as typeof losslessModule;

export type DicomRaster = {
  width: number;
  height: number;
  channels: 1 | 3;
  /** Grey: modality values (stored × slope + intercept). RGB: stored values. Interleaved, row-major. */
  data: Float32Array;
  /** Lowest and highest value the stored bits can hold, in the same units as `data`. */
  full: { lo: number; hi: number };
  /** The file's first Window Center / Width (grey images only), if present and valid. */
  voi: { center: number; width: number } | null;
  /** MONOCHROME1: high values are dark, so the windowed image is inverted for display. */
  invert: boolean;
  /** Number of frames in the file (only the first is decoded). */
  frames: number;
  bitsStored: number;
};

const TS = {
  implicitLE: '1.2.840.10008.1.2',
  explicitLE: '1.2.840.10008.1.2.1',
  deflatedLE: '1.2.840.10008.1.2.1.99',
  explicitBE: '1.2.840.10008.1.2.2',
  rle: '1.2.840.10008.1.2.5',
  jpegBaseline: '1.2.840.10008.1.2.4.50',
  jpegExtended: '1.2.840.10008.1.2.4.51',
  jpegLossless: '1.2.840.10008.1.2.4.57',
  jpegLosslessSV1: '1.2.840.10008.1.2.4.70',
  jpegLsLossless: '1.2.840.10008.1.2.4.80',
  jpegLsNearLossless: '1.2.840.10008.1.2.4.81',
  jpeg2000Lossless: '1.2.840.10008.1.2.4.90',
  jpeg2000: '1.2.840.10008.1.2.4.91',
} as const;

/** Transfer syntaxes decoded by a WebAssembly codec (loaded on first need by ensureDicomCodecs). */
const CODEC_FOR: Record<string, CodecName> = {
  [TS.jpegLsLossless]: 'jpegls',
  [TS.jpegLsNearLossless]: 'jpegls',
  [TS.jpeg2000Lossless]: 'jpeg2000',
  [TS.jpeg2000]: 'jpeg2000',
};

/** Transfer syntaxes we recognise but cannot decode, with a name the user can search for. */
const UNSUPPORTED: Record<string, string> = {
  [TS.jpegExtended]: 'JPEG Extended (12-bit)',
  '1.2.840.10008.1.2.4.201': 'HTJ2K lossless',
  '1.2.840.10008.1.2.4.202': 'HTJ2K lossless RPCL',
  '1.2.840.10008.1.2.4.203': 'HTJ2K',
  '1.2.840.10008.1.2.4.100': 'MPEG-2',
  '1.2.840.10008.1.2.4.102': 'MPEG-4',
  '1.2.840.10008.1.2.4.110': 'HEVC',
};

const MAX_PIXELS = 100_000_000;

const isUpper = (b: number | undefined) => b !== undefined && b >= 0x41 && b <= 0x5a;

/**
 * A Part 10 file has "DICM" after a 128-byte preamble. A bare data set (no preamble, as some old tools write)
 * is recognised when it starts with a group 0008 element; its VR letters tell explicit from implicit VR.
 */
export function sniffDicom(bytes: Uint8Array): 'part10' | 'bare-explicit' | 'bare-implicit' | null {
  if (bytes.length >= 132 && bytes[128] === 0x44 && bytes[129] === 0x49 && bytes[130] === 0x43 && bytes[131] === 0x4d) return 'part10';
  if (bytes.length >= 8 && bytes[0] === 0x08 && bytes[1] === 0x00 && bytes[3] === 0x00) {
    return isUpper(bytes[4]) && isUpper(bytes[5]) ? 'bare-explicit' : 'bare-implicit';
  }
  return null;
}

function message(err: unknown): string {
  // dicom-parser throws plain strings prefixed with its function name.
  const msg = err instanceof Error ? err.message : String(err);
  return msg.replace(/^dicomParser\.[A-Za-z0-9_.]+:\s*/, '');
}

/** dicom-parser's hook for the Deflated transfer syntax: header bytes unchanged, the rest raw-inflated. */
function inflateRest(bytes: Uint8Array, position: number): Uint8Array {
  const inflated = inflateSync(bytes.subarray(position));
  const out = new Uint8Array(position + inflated.length);
  out.set(bytes.subarray(0, position));
  out.set(inflated, position);
  return out;
}

function parse(bytes: Uint8Array, kind: 'part10' | 'bare-explicit' | 'bare-implicit'): DataSet {
  const options: { inflater: (a: Uint8Array, p: number) => Uint8Array; TransferSyntaxUID?: string } = { inflater: inflateRest };
  if (kind !== 'part10') options.TransferSyntaxUID = kind === 'bare-explicit' ? TS.explicitLE : TS.implicitLE;
  // The typings say the inflater returns void; the library uses its return value.
  return dicomParser.parseDicom(bytes, options as unknown as Parameters<typeof dicomParser.parseDicom>[1]);
}

function uint(ds: DataSet, tag: string, name: string, fallback?: number): number {
  const v = ds.elements[tag] ? ds.uint16(tag) : undefined;
  if (v === undefined) {
    if (fallback !== undefined) return fallback;
    throw new Error(`invalid DICOM: ${name} ${tag.slice(1, 5)},${tag.slice(5)} is missing`);
  }
  return v;
}

function decimal(ds: DataSet, tag: string, index = 0): number | undefined {
  if (!ds.elements[tag]) return undefined;
  const v = ds.floatString(tag, index);
  return v === undefined || !Number.isFinite(v) ? undefined : v;
}

/** The transfer syntax from a Part 10 file's meta header (the only place a compressed syntax can be named). */
function transferSyntaxOf(bytes: Uint8Array): string | undefined {
  if (sniffDicom(bytes) !== 'part10') return undefined;
  try {
    return dicomParser.readPart10Header(bytes).string('x00020010')?.replace(/\0/g, '').trim();
  } catch {
    return undefined; // decodeDicomRaster reports the broken header
  }
}

/**
 * Loads the WebAssembly codec a file's transfer syntax needs (JPEG 2000, JPEG-LS), once; resolves at once for
 * everything else. Await it before decodeDicomRaster. A codec that cannot load rejects with the reason.
 */
export async function ensureDicomCodecs(bytes: Uint8Array): Promise<void> {
  const ts = transferSyntaxOf(bytes);
  const codec = ts ? CODEC_FOR[ts] : undefined;
  if (codec && !isCodecLoaded(codec)) await loadCodec(codec);
}

export function decodeDicomRaster(bytes: Uint8Array): DicomRaster {
  const kind = sniffDicom(bytes);
  if (!kind) throw new Error('not a DICOM file (no "DICM" marker at byte 128)');
  let ds: DataSet;
  try {
    ds = parse(bytes, kind);
  } catch (err) {
    const msg = message(err);
    throw new Error(`${/beyond|buffer length|end of|past the end|out of range/i.test(msg) ? 'truncated' : 'invalid'} DICOM: ${msg}`);
  }
  const ts = (ds.string('x00020010') ?? (kind === 'bare-explicit' ? TS.explicitLE : TS.implicitLE)).replace(/\0/g, '').trim();
  const pixelData = ds.elements.x7fe00010;
  if (!pixelData) throw new Error('DICOM file has no Pixel Data (7FE0,0010): not an image (e.g. a report or structured data)');

  const unsupported = UNSUPPORTED[ts];
  if (unsupported) {
    throw new Error(
      `${unsupported} (transfer syntax ${ts}) is not supported yet; convert to uncompressed first, e.g. \`gdcmconv --raw in.dcm out.dcm\``,
    );
  }
  const known = (Object.values(TS) as string[]).includes(ts);
  if (!known) throw new Error(`transfer syntax ${ts} is not supported; convert to uncompressed first, e.g. \`gdcmconv --raw in.dcm out.dcm\``);

  const rows = uint(ds, 'x00280010', 'Rows');
  const cols = uint(ds, 'x00280011', 'Columns');
  if (rows === 0 || cols === 0) throw new Error(`invalid DICOM: ${cols}×${rows} pixels`);
  if (rows * cols > MAX_PIXELS) throw new Error(`image too large (${cols}×${rows} pixels)`);
  const spp = uint(ds, 'x00280002', 'Samples per Pixel', 1);
  const bitsAllocated = uint(ds, 'x00280100', 'Bits Allocated');
  const bitsStored = uint(ds, 'x00280101', 'Bits Stored', bitsAllocated);
  const signed = uint(ds, 'x00280103', 'Pixel Representation', 0) === 1;
  const planar = uint(ds, 'x00280006', 'Planar Configuration', 0) === 1;
  const photometric = (ds.string('x00280004') ?? (spp === 1 ? 'MONOCHROME2' : 'RGB')).trim().toUpperCase();
  const frames = Math.max(1, ds.intString('x00280008') ?? 1);

  if (spp !== 1 && spp !== 3) throw new Error(`invalid DICOM: Samples per Pixel is ${spp} (expected 1 or 3)`);
  if (![8, 16, 32].includes(bitsAllocated)) throw new Error(`Bits Allocated ${bitsAllocated} is not supported (8, 16 or 32)`);
  if (bitsStored < 1 || bitsStored > bitsAllocated) throw new Error(`invalid DICOM: Bits Stored ${bitsStored} with Bits Allocated ${bitsAllocated}`);
  if (spp === 1 && photometric !== 'MONOCHROME1' && photometric !== 'MONOCHROME2') {
    throw new Error(`photometric interpretation ${photometric} with one sample per pixel is not supported (MONOCHROME1/2)`);
  }
  // YBR_FULL_422 is fine inside JPEG (the codec upsamples); uncompressed it is chroma-subsampled, which we do not read.
  // YBR_RCT/YBR_ICT exist only inside JPEG 2000, whose decoder undoes the colour transform itself.
  const codec = CODEC_FOR[ts];
  const extraPhotometric = ts === TS.jpegBaseline ? ['YBR_FULL_422'] : codec === 'jpeg2000' ? ['YBR_RCT', 'YBR_ICT'] : [];
  if (spp === 3 && !['RGB', 'YBR_FULL', ...extraPhotometric].includes(photometric)) {
    throw new Error(`photometric interpretation ${photometric} is not supported here (${['RGB', 'YBR_FULL', ...extraPhotometric].join(', ')})`);
  }

  const n = rows * cols;
  const count = n * spp;
  let raw: ArrayLike<number>;
  let interleaved = !planar;
  let ybr = photometric === 'YBR_FULL';
  if (ts === TS.rle) {
    raw = decodeRleFrame(encapsulatedFrame(ds, pixelData, frames), n, spp, bitsAllocated / 8);
    interleaved = false; // RLE segments are one colour plane each, whatever Planar Configuration says.
  } else if (ts === TS.jpegBaseline) {
    raw = decodeJpegBaselineFrame(encapsulatedFrame(ds, pixelData, frames), cols, rows, spp);
    interleaved = true;
    ybr = false; // jpeg-js converts YCbCr to RGB itself.
  } else if (ts === TS.jpegLossless || ts === TS.jpegLosslessSV1) {
    raw = decodeJpegLosslessFrame(encapsulatedFrame(ds, pixelData, frames), count);
    interleaved = true;
  } else if (codec) {
    const out = decodeCodecFrame(codec, encapsulatedFrame(ds, pixelData, frames));
    checkCodecFrame(codec === 'jpeg2000' ? 'JPEG 2000' : 'JPEG-LS', out.info, { cols, rows, spp, bitsAllocated });
    raw = out.samples;
    interleaved = out.interleaved; // JPEG-LS says itself (interleave mode), whatever Planar Configuration says
  } else {
    // After inflating (Deflated syntax) the data set's byte array is not the file's: offsets refer to it.
    raw = nativeFrame(ds.byteArray as Uint8Array, pixelData, count, bitsAllocated, ts !== TS.explicitBE);
  }

  // Keep Bits Stored bits (the rest may hold overlays) and sign-extend two's complement values.
  const storedMask = bitsStored >= 32 ? 0xffffffff : 2 ** bitsStored - 1;
  const signBit = 2 ** (bitsStored - 1);
  const stored = (v: number) => {
    const m = bitsStored >= 32 ? v >>> 0 : v % (storedMask + 1);
    return signed && m >= signBit ? m - 2 * signBit : m;
  };
  const slope = spp === 1 ? (decimal(ds, 'x00281053') ?? 1) : 1;
  const intercept = spp === 1 ? (decimal(ds, 'x00281052') ?? 0) : 0;
  const data = new Float32Array(count);
  for (let p = 0; p < n; p++) {
    for (let c = 0; c < spp; c++) {
      const src = interleaved ? p * spp + c : c * n + p;
      data[p * spp + c] = stored(Number(raw[src] ?? 0)) * slope + intercept;
    }
  }
  if (spp === 3 && ybr) ybrToRgb(data, 2 ** bitsStored - 1);

  const lo = (signed ? -signBit : 0) * slope + intercept;
  const hi = (signed ? signBit - 1 : storedMask) * slope + intercept;
  let voi: DicomRaster['voi'] = null;
  const center = decimal(ds, 'x00281050');
  const width = decimal(ds, 'x00281051');
  if (spp === 1 && center !== undefined && width !== undefined && width >= 1) voi = { center, width };
  return {
    width: cols,
    height: rows,
    channels: spp === 1 ? 1 : 3,
    data,
    full: { lo: Math.min(lo, hi), hi: Math.max(lo, hi) },
    voi,
    invert: photometric === 'MONOCHROME1',
    frames,
    bitsStored,
  };
}

/** First frame of uncompressed pixel data as unsigned sample values. */
function nativeFrame(bytes: Uint8Array, el: Element, count: number, bitsAllocated: number, littleEndian: boolean): ArrayLike<number> {
  const bytesPer = bitsAllocated / 8;
  const need = count * bytesPer;
  const available = Math.min(el.length, bytes.length - el.dataOffset);
  if (available < need) throw new Error(`truncated DICOM: pixel data has ${Math.max(0, available)} of ${need} bytes`);
  const view = new DataView(bytes.buffer, bytes.byteOffset + el.dataOffset, need);
  if (bytesPer === 1) return bytes.subarray(el.dataOffset, el.dataOffset + need);
  const out = bytesPer === 2 ? new Uint16Array(count) : new Uint32Array(count);
  for (let i = 0; i < count; i++) out[i] = bytesPer === 2 ? view.getUint16(i * 2, littleEndian) : view.getUint32(i * 4, littleEndian);
  return out;
}

/** Bytes of the first frame of encapsulated (compressed) pixel data. */
function encapsulatedFrame(ds: DataSet, el: Element, frames: number): Uint8Array {
  if (!el.encapsulatedPixelData) throw new Error('invalid DICOM: compressed transfer syntax but the pixel data is not encapsulated');
  const fragments = el.fragments ?? [];
  if (fragments.length === 0) throw new Error('invalid DICOM: encapsulated pixel data has no fragments');
  try {
    // One frame: all fragments belong to it. Several: the offset table (or, for JPEG, the markers) says where frame 1 ends.
    if (frames === 1) return dicomParser.readEncapsulatedPixelDataFromFragments(ds, el, 0, fragments.length) as Uint8Array;
    const table = el.basicOffsetTable && el.basicOffsetTable.length > 0 ? el.basicOffsetTable : fragments.length === frames ? undefined : dicomParser.createJPEGBasicOffsetTable(ds, el);
    return (table ? dicomParser.readEncapsulatedImageFrame(ds, el, 0, table) : dicomParser.readEncapsulatedPixelDataFromFragments(ds, el, 0, 1)) as Uint8Array;
  } catch (err) {
    throw new Error(`invalid DICOM: couldn't read compressed frame 1: ${message(err)}`);
  }
}

/**
 * RLE Lossless (PS3.5 Annex G): a 64-byte header (segment count + 15 offsets, little endian), then one PackBits
 * segment per byte plane: for each sample, its most significant byte first. Output: planar unsigned samples.
 */
export function decodeRleFrame(frame: Uint8Array, pixels: number, spp: number, bytesPerSample: number): Uint32Array {
  if (frame.length < 64) throw new Error('invalid RLE: header incomplete');
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const segments = view.getUint32(0, true);
  const expected = spp * bytesPerSample;
  if (segments !== expected) throw new Error(`invalid RLE: ${segments} segments, expected ${expected}`);
  const out = new Uint32Array(pixels * spp);
  for (let s = 0; s < segments; s++) {
    const start = view.getUint32(4 + 4 * s, true);
    const end = s + 1 < segments ? view.getUint32(8 + 4 * s, true) : frame.length;
    if (start < 64 || start > end || end > frame.length) throw new Error(`invalid RLE: segment ${s + 1} offset ${start} out of range`);
    const sample = Math.floor(s / bytesPerSample);
    const shift = 8 * (bytesPerSample - 1 - (s % bytesPerSample));
    const base = sample * pixels;
    let o = 0;
    let i = start;
    while (o < pixels && i < end) {
      const h = frame[i++]!;
      if (h < 128) {
        // Literal run of h+1 bytes.
        for (let k = 0; k <= h && o < pixels; k++) out[base + o++]! += (frame[i++] ?? 0) * 2 ** shift;
      } else if (h > 128) {
        // Replicate the next byte 257-h times; 128 is a no-op.
        const v = (frame[i++] ?? 0) * 2 ** shift;
        for (let k = 0; k < 257 - h && o < pixels; k++) out[base + o++]! += v;
      }
    }
    if (o < pixels) throw new Error(`truncated RLE: segment ${s + 1} has ${o} of ${pixels} bytes`);
  }
  return out;
}

function decodeJpegBaselineFrame(frame: Uint8Array, cols: number, rows: number, spp: number): Uint8Array {
  let img: { width: number; height: number; data: Uint8Array };
  try {
    img = jpeg.decode(frame, { useTArray: true, formatAsRGBA: false, maxResolutionInMP: MAX_PIXELS / 1e6 });
  } catch (err) {
    throw new Error(`couldn't decode JPEG baseline pixel data: ${message(err)}`);
  }
  if (img.width !== cols || img.height !== rows) throw new Error(`invalid DICOM: JPEG frame is ${img.width}×${img.height}, header says ${cols}×${rows}`);
  const comps = img.data.length / (cols * rows);
  if (comps === spp) return img.data;
  // A grey JPEG in a 3-sample header or vice versa: take what is there.
  const out = new Uint8Array(cols * rows * spp);
  for (let p = 0; p < cols * rows; p++) for (let c = 0; c < spp; c++) out[p * spp + c] = img.data[p * comps + Math.min(c, comps - 1)]!;
  return out;
}

/** The codestream's own frame header must agree with the DICOM header, or the pixels would be misread. */
function checkCodecFrame(
  label: string,
  info: { width: number; height: number; componentCount: number; bitsPerSample: number },
  want: { cols: number; rows: number; spp: number; bitsAllocated: number },
): void {
  if (info.width !== want.cols || info.height !== want.rows) {
    throw new Error(`invalid DICOM: ${label} frame is ${info.width}×${info.height}, header says ${want.cols}×${want.rows} (Columns×Rows)`);
  }
  if (info.componentCount !== want.spp) {
    throw new Error(`invalid DICOM: ${label} frame has ${info.componentCount} component(s), header says Samples per Pixel ${want.spp}`);
  }
  if (info.bitsPerSample > want.bitsAllocated || info.bitsPerSample > 16) {
    throw new Error(`invalid DICOM: ${label} frame has ${info.bitsPerSample}-bit samples, header says Bits Allocated ${want.bitsAllocated}`);
  }
}

function decodeJpegLosslessFrame(frame: Uint8Array, count: number): ArrayLike<number> {
  let out: ArrayLike<number>;
  try {
    const buf = frame.buffer.slice(frame.byteOffset, frame.byteOffset + frame.byteLength) as ArrayBuffer;
    out = new lossless.Decoder().decode(buf, 0, buf.byteLength) as ArrayLike<number>;
  } catch (err) {
    throw new Error(`couldn't decode JPEG lossless pixel data: ${message(err)}`);
  }
  if (!out || out.length < count) throw new Error(`couldn't decode JPEG lossless pixel data: ${out?.length ?? 0} of ${count} samples`);
  return out;
}

/** YBR_FULL → RGB (PS3.3 C.7.6.3.1.2), in place on interleaved samples with maximum value `max`. */
function ybrToRgb(data: Float32Array, max: number): void {
  const mid = (max + 1) / 2;
  const clamp = (v: number) => Math.min(max, Math.max(0, v));
  for (let i = 0; i < data.length; i += 3) {
    const y = data[i]!;
    const cb = data[i + 1]! - mid;
    const cr = data[i + 2]! - mid;
    data[i] = clamp(y + 1.402 * cr);
    data[i + 1] = clamp(y - 0.344136 * cb - 0.714136 * cr);
    data[i + 2] = clamp(y + 1.772 * cb);
  }
}
