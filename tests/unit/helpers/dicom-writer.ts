/**
 * Test helper: writes small DICOM Part 10 files (PS3.10 preamble + meta group, PS3.5 encodings) so decoder tests
 * check pixel values against numbers written by hand. Supports Implicit/Explicit VR Little Endian, Explicit VR
 * Big Endian, Deflated, RLE Lossless (PackBits per PS3.5 Annex G) and encapsulated JPEG family syntaxes (frames given
 * encoded: see encodeJpegLossless here and dicom-encoders.ts for JPEG 2000 / JPEG-LS).
 * Not a general writer: only the image module tags the decoder reads.
 */
import { deflateSync } from 'fflate';

export type DicomSyntax =
  | 'implicitLE'
  | 'explicitLE'
  | 'explicitBE'
  | 'deflated'
  | 'rle'
  | 'jpegBaseline'
  | 'jpegLossless'
  | 'jpegLs'
  | 'jpegLsNear'
  | 'jpeg2000'
  | 'jpeg2000Lossy'
  | 'htj2k';

const UID: Record<DicomSyntax, string> = {
  implicitLE: '1.2.840.10008.1.2',
  explicitLE: '1.2.840.10008.1.2.1',
  deflated: '1.2.840.10008.1.2.1.99',
  explicitBE: '1.2.840.10008.1.2.2',
  rle: '1.2.840.10008.1.2.5',
  jpegBaseline: '1.2.840.10008.1.2.4.50',
  jpegLossless: '1.2.840.10008.1.2.4.70',
  jpegLs: '1.2.840.10008.1.2.4.80',
  jpegLsNear: '1.2.840.10008.1.2.4.81',
  jpeg2000: '1.2.840.10008.1.2.4.90',
  jpeg2000Lossy: '1.2.840.10008.1.2.4.91',
  htj2k: '1.2.840.10008.1.2.4.201',
};

/** Syntaxes whose pixel data is encapsulated (RLE is encoded here; the others come as encodedFrames). */
const ENCAPSULATED = new Set<DicomSyntax>(['rle', 'jpegBaseline', 'jpegLossless', 'jpegLs', 'jpegLsNear', 'jpeg2000', 'jpeg2000Lossy', 'htj2k']);

export type DicomSpec = {
  rows: number;
  cols: number;
  /** Stored values, frame after frame; per frame interleaved (or planar when planar = true). */
  pixels: ArrayLike<number>;
  syntax?: DicomSyntax;
  bitsAllocated?: 8 | 16;
  bitsStored?: number;
  signed?: boolean;
  samplesPerPixel?: 1 | 3;
  planar?: boolean;
  photometric?: string;
  frames?: number;
  window?: { center: number; width: number };
  rescale?: { slope: number; intercept: number };
  /** Pre-encoded frames for JPEG syntaxes (pixels are then ignored). */
  encodedFrames?: Uint8Array[];
  /** Write the data set only, without preamble and meta group. */
  bare?: boolean;
};

type El = { group: number; element: number; vr: string; value: Uint8Array; undefinedLength?: boolean };

const LONG_VRS = new Set(['OB', 'OW', 'OF', 'SQ', 'UT', 'UN']);

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function str(s: string, pad: string): Uint8Array {
  const t = s.length % 2 ? s + pad : s;
  return new TextEncoder().encode(t);
}

function u16(v: number, le: boolean): Uint8Array {
  const b = new Uint8Array(2);
  new DataView(b.buffer).setUint16(0, v, le);
  return b;
}

function u32(v: number, le: boolean): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, v, le);
  return b;
}

function encodeElement(el: El, explicit: boolean, le: boolean): Uint8Array {
  const len = el.undefinedLength ? 0xffffffff : el.value.length;
  const head = [u16(el.group, le), u16(el.element, le)];
  if (!explicit) return concat([...head, u32(len, le), el.value]);
  const vr = new TextEncoder().encode(el.vr);
  if (LONG_VRS.has(el.vr)) return concat([...head, vr, new Uint8Array(2), u32(len, le), el.value]);
  return concat([...head, vr, u16(len, le), el.value]);
}

/** PackBits as RLE Lossless wants it: replicate runs for 3+ equal bytes, literal runs otherwise (≤ 128 each). */
export function packBits(bytes: Uint8Array): Uint8Array {
  const out: number[] = [];
  let i = 0;
  while (i < bytes.length) {
    let run = 1;
    while (i + run < bytes.length && bytes[i + run] === bytes[i] && run < 128) run++;
    if (run >= 3) {
      out.push(257 - run, bytes[i]!);
      i += run;
      continue;
    }
    const start = i;
    while (i < bytes.length && i - start < 128 && !(bytes[i + 1] === bytes[i] && bytes[i + 2] === bytes[i])) i++;
    if (i === start) i++;
    out.push(i - start - 1, ...bytes.subarray(start, i));
  }
  if (out.length % 2) out.push(128); // segments are even-length; 128 is a no-op
  return Uint8Array.from(out);
}

/** One RLE frame: header with segment offsets, then one PackBits segment per byte plane (MSB first). */
export function encodeRleFrame(samples: ArrayLike<number>, pixels: number, spp: number, bytesPerSample: number, planar: boolean): Uint8Array {
  const segments: Uint8Array[] = [];
  for (let c = 0; c < spp; c++) {
    for (let b = bytesPerSample - 1; b >= 0; b--) {
      const plane = new Uint8Array(pixels);
      for (let p = 0; p < pixels; p++) {
        const v = samples[planar ? c * pixels + p : p * spp + c]! >>> 0;
        plane[p] = (v >>> (8 * b)) & 0xff;
      }
      segments.push(packBits(plane));
    }
  }
  const header = new Uint8Array(64);
  const view = new DataView(header.buffer);
  view.setUint32(0, segments.length, true);
  let offset = 64;
  segments.forEach((s, i) => {
    view.setUint32(4 + 4 * i, offset, true);
    offset += s.length;
  });
  return concat([header, ...segments]);
}

function encapsulated(frames: Uint8Array[]): Uint8Array {
  const item = (data: Uint8Array) => {
    const even = data.length % 2 ? concat([data, new Uint8Array(1)]) : data;
    return concat([u16(0xfffe, true), u16(0xe000, true), u32(even.length, true), even]);
  };
  // Empty basic offset table, one fragment per frame, sequence delimiter.
  return concat([item(new Uint8Array(0)), ...frames.map(item), u16(0xfffe, true), u16(0xe0dd, true), u32(0, true)]);
}

export function writeDicom(spec: DicomSpec): Uint8Array {
  const syntax = spec.syntax ?? 'explicitLE';
  const le = syntax !== 'explicitBE';
  const explicit = syntax !== 'implicitLE';
  const bitsAllocated = spec.bitsAllocated ?? 16;
  const spp = spec.samplesPerPixel ?? 1;
  const frames = spec.frames ?? 1;
  const perFrame = spec.rows * spec.cols * spp;
  const us = (g: number, e: number, v: number): El => ({ group: g, element: e, vr: 'US', value: u16(v, le) });
  const cs = (g: number, e: number, vr: string, v: string): El => ({ group: g, element: e, vr, value: str(v, vr === 'UI' ? '\0' : ' ') });

  let pixelData: El;
  if (ENCAPSULATED.has(syntax)) {
    const enc =
      spec.encodedFrames ??
      Array.from({ length: frames }, (_, f) =>
        encodeRleFrame(Array.from(spec.pixels).slice(f * perFrame, (f + 1) * perFrame), spec.rows * spec.cols, spp, bitsAllocated / 8, spec.planar ?? false),
      );
    pixelData = { group: 0x7fe0, element: 0x0010, vr: 'OB', value: encapsulated(enc), undefinedLength: true };
  } else {
    const bytes = new Uint8Array(perFrame * frames * (bitsAllocated / 8));
    const view = new DataView(bytes.buffer);
    for (let i = 0; i < perFrame * frames; i++) {
      const v = spec.pixels[i]!;
      if (bitsAllocated === 8) bytes[i] = v & 0xff;
      else view.setUint16(i * 2, v & 0xffff, le);
    }
    pixelData = { group: 0x7fe0, element: 0x0010, vr: bitsAllocated === 8 ? 'OB' : 'OW', value: bytes };
  }

  const ds: El[] = [
    cs(0x0008, 0x0016, 'UI', '1.2.840.10008.5.1.4.1.1.7'),
    cs(0x0008, 0x0060, 'CS', 'OT'),
    us(0x0028, 0x0002, spp),
    cs(0x0028, 0x0004, 'CS', spec.photometric ?? (spp === 1 ? 'MONOCHROME2' : 'RGB')),
    ...(spp === 3 ? [us(0x0028, 0x0006, spec.planar ? 1 : 0)] : []),
    ...(frames > 1 ? [cs(0x0028, 0x0008, 'IS', String(frames))] : []),
    us(0x0028, 0x0010, spec.rows),
    us(0x0028, 0x0011, spec.cols),
    us(0x0028, 0x0100, bitsAllocated),
    us(0x0028, 0x0101, spec.bitsStored ?? bitsAllocated),
    us(0x0028, 0x0102, (spec.bitsStored ?? bitsAllocated) - 1),
    us(0x0028, 0x0103, spec.signed ? 1 : 0),
    ...(spec.window ? [cs(0x0028, 0x1050, 'DS', String(spec.window.center)), cs(0x0028, 0x1051, 'DS', String(spec.window.width))] : []),
    ...(spec.rescale ? [cs(0x0028, 0x1052, 'DS', String(spec.rescale.intercept)), cs(0x0028, 0x1053, 'DS', String(spec.rescale.slope))] : []),
    pixelData,
  ];
  let body = concat(ds.map((el) => encodeElement(el, explicit, le)));
  if (syntax === 'deflated') body = deflateSync(body);
  if (spec.bare) return body;

  const meta = [
    { group: 0x0002, element: 0x0001, vr: 'OB', value: Uint8Array.from([0, 1]) },
    cs(0x0002, 0x0002, 'UI', '1.2.840.10008.5.1.4.1.1.7'),
    cs(0x0002, 0x0003, 'UI', '1.2.3.4.5.6.7'),
    cs(0x0002, 0x0010, 'UI', UID[syntax]),
  ].map((el) => encodeElement(el, true, true));
  const metaBytes = concat(meta);
  const groupLength = encodeElement({ group: 0x0002, element: 0x0000, vr: 'UL', value: u32(metaBytes.length, true) }, true, true);
  return concat([new Uint8Array(128), new TextEncoder().encode('DICM'), groupLength, metaBytes, body]);
}

/**
 * A minimal JPEG Lossless encoder (ITU T.81 process 14, SOF3, one component, first-order predictor 1 = left),
 * so the JPEG Lossless path is checked against known values. Huffman table: categories 0..16 all get 5-bit codes
 * (17 ≤ 32), which keeps the canonical code of category k equal to k.
 */
export function encodeJpegLossless(samples: ArrayLike<number>, width: number, height: number, precision = 16): Uint8Array {
  const out: number[] = [0xff, 0xd8];
  const seg = (marker: number, body: number[]) => out.push(0xff, marker, (body.length + 2) >> 8, (body.length + 2) & 0xff, ...body);
  seg(0xc3, [precision, height >> 8, height & 0xff, width >> 8, width & 0xff, 1, 1, 0x11, 0]);
  const counts = new Array(16).fill(0);
  counts[4] = 17;
  seg(0xc4, [0x00, ...counts, ...Array.from({ length: 17 }, (_, k) => k)]);
  seg(0xda, [1, 1, 0x00, 1, 0, 0]);
  let acc = 0;
  let nbits = 0;
  const data: number[] = [];
  const put = (value: number, bits: number) => {
    for (let b = bits - 1; b >= 0; b--) {
      acc = (acc << 1) | ((value >>> b) & 1);
      if (++nbits === 8) {
        data.push(acc);
        if (acc === 0xff) data.push(0); // byte stuffing
        acc = 0;
        nbits = 0;
      }
    }
  };
  const mod = 2 ** precision;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = samples[y * width + x]!;
      const pred = x === 0 && y === 0 ? 2 ** (precision - 1) : x === 0 ? samples[(y - 1) * width]! : samples[y * width + x - 1]!;
      let diff = (((v - pred) % mod) + mod) % mod;
      if (diff >= mod / 2) diff -= mod; // the difference is taken modulo 2^16 (T.81 H.2.1)
      const ssss = diff === 0 ? 0 : diff === 32768 || diff === -32768 ? 16 : Math.floor(Math.log2(Math.abs(diff))) + 1;
      put(ssss, 5);
      if (ssss > 0 && ssss < 16) put(diff > 0 ? diff : diff + 2 ** ssss - 1, ssss);
    }
  }
  if (nbits > 0) put(0xff, 8 - nbits); // pad with 1-bits
  out.push(...data, 0xff, 0xd9);
  return Uint8Array.from(out);
}
