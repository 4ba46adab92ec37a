import { encode as encodePng } from 'fast-png';
import jpeg from 'jpeg-js';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeJpeg2000, encodeJpegLs } from '../../tests/unit/helpers/dicom-encoders';
import { encodeJpegLossless, writeDicom, type DicomSpec } from '../../tests/unit/helpers/dicom-writer';
import { decodeDicomRaster, decodeRleFrame, ensureDicomCodecs, sniffDicom } from './dicom-decode';
import { decodeImage, prepareDecode, sniffFormat, type WindowOptions } from './image-decode';

/** Decode at native size (no resampling), grey unless asked. */
const decode = (bytes: Uint8Array, size: number, window?: WindowOptions, grayscale = true) =>
  decodeImage(bytes, 'x.dcm', { size, grayscale, window });
const values = (a: Float32Array) => Array.from(a);
const near = (got: Float32Array | number[], want: number[], digits = 6) => {
  expect(got.length).toBe(want.length);
  Array.from(got).forEach((v, i) => expect(v).toBeCloseTo(want[i]!, digits));
};

// 12-bit data in 16-bit words: 2×2.
const base12: DicomSpec = { rows: 2, cols: 2, bitsAllocated: 16, bitsStored: 12, pixels: [100, 1100, 2100, 4095] };
const minmax12 = [0, 1000 / 3995, 2000 / 3995, 1];
const full12 = [100 / 4095, 1100 / 4095, 2100 / 4095, 1];

describe('sniffing', () => {
  it('finds DICM at byte 128, and bare data sets by their first group 0008 element', () => {
    const file = writeDicom(base12);
    expect(sniffDicom(file)).toBe('part10');
    expect(sniffFormat(file)).toBe('dicom');
    expect(sniffDicom(writeDicom({ ...base12, bare: true }))).toBe('bare-explicit');
    expect(sniffDicom(writeDicom({ ...base12, bare: true, syntax: 'implicitLE' }))).toBe('bare-implicit');
    expect(sniffDicom(new TextEncoder().encode('hello world, not dicom'))).toBeNull();
  });
});

describe('uncompressed transfer syntaxes', () => {
  for (const syntax of ['explicitLE', 'implicitLE', 'explicitBE', 'deflated'] as const) {
    it(`${syntax}: 12-bit values, auto window = min–max without window tags, full = 0..4095`, () => {
      const file = writeDicom({ ...base12, syntax });
      const out = decode(file, 2);
      expect(out).toMatchObject({ width: 2, height: 2, channels: 1, format: 'dicom', frames: 1 });
      near(out.data, minmax12);
      near(decode(file, 2, { mode: 'full' }).data, full12);
    });
  }

  it('reads bare data sets (no preamble) in explicit and implicit VR', () => {
    near(decode(writeDicom({ ...base12, bare: true }), 2).data, minmax12);
    near(decode(writeDicom({ ...base12, bare: true, syntax: 'implicitLE' }), 2).data, minmax12);
  });

  it('masks bits above Bits Stored (overlay bits) before use', () => {
    // 0xF000 | 5: the top nibble is not part of a 12-bit value.
    const raster = decodeDicomRaster(writeDicom({ ...base12, pixels: [0xf005, 0, 0, 0] }));
    expect(raster.data[0]).toBe(5);
  });
});

describe('RLE Lossless (PS3.5 Annex G)', () => {
  it('decodes hand-written PackBits segments: literal and replicate runs, 128 as no-op', () => {
    // One segment, 6 bytes: literal [1,2,3] (header 2), replicate 7 three times (header 0xFE = -2), no-op 0x80.
    const frame = new Uint8Array(64 + 6);
    new DataView(frame.buffer).setUint32(0, 1, true);
    new DataView(frame.buffer).setUint32(4, 64, true);
    frame.set([0x02, 1, 2, 3, 0xfe, 7], 64);
    expect(Array.from(decodeRleFrame(frame, 6, 1, 1))).toEqual([1, 2, 3, 7, 7, 7]);
  });

  it('combines byte planes MSB first: two segments for 16-bit', () => {
    const frame = new Uint8Array(64 + 4 + 4);
    const v = new DataView(frame.buffer);
    v.setUint32(0, 2, true);
    v.setUint32(4, 64, true);
    v.setUint32(8, 68, true);
    frame.set([0x01, 0x12, 0x00, 0x80], 64); // high bytes 0x12, 0x00
    frame.set([0x01, 0x34, 0xff, 0x80], 68); // low bytes 0x34, 0xff
    expect(Array.from(decodeRleFrame(frame, 2, 1, 2))).toEqual([0x1234, 0x00ff]);
  });

  it('an RLE file decodes to the same values as the uncompressed one (runs included)', () => {
    const pixels = [...Array(20).fill(300), ...Array.from({ length: 44 }, (_, i) => (i * 97) % 4096)];
    const spec: DicomSpec = { rows: 8, cols: 8, bitsAllocated: 16, bitsStored: 12, pixels };
    expect(values(decodeDicomRaster(writeDicom({ ...spec, syntax: 'rle' })).data)).toEqual(pixels);
    expect(values(decode(writeDicom({ ...spec, syntax: 'rle' }), 8).data)).toEqual(values(decode(writeDicom(spec), 8).data));
  });

  it('reports a truncated segment', () => {
    // Two segments (16-bit), each a single literal byte where 4 are needed.
    const frame = new Uint8Array(64 + 4);
    const v = new DataView(frame.buffer);
    v.setUint32(0, 2, true);
    v.setUint32(4, 64, true);
    v.setUint32(8, 66, true);
    frame.set([0x00, 0x01, 0x00, 0x01], 64);
    const file = writeDicom({ ...base12, syntax: 'rle', encodedFrames: [frame] });
    expect(() => decode(file, 2)).toThrow(/x\.dcm: truncated RLE: segment 1 has 1 of 4 bytes/);
  });
});

describe('photometric, sign, rescale and windows', () => {
  it('MONOCHROME1 is inverted after windowing (high values dark)', () => {
    const file = writeDicom({ rows: 1, cols: 4, bitsAllocated: 8, pixels: [0, 51, 204, 255], photometric: 'MONOCHROME1' });
    near(decode(file, 4, { mode: 'full' }).data.slice(0, 4), [1, 0.8, 0.2, 0]);
    // size 4 from a 4×1 image stretches rows; the first row is the image itself.
  });

  it('signed 16-bit with Rescale Slope/Intercept and a window from the tags (PS3.3 C.11.2.1.2 by hand)', () => {
    // Stored −10, 0, 5, 20 → modality 2x − 100 = −120, −100, −90, −60.
    const file = writeDicom({
      rows: 2,
      cols: 2,
      bitsAllocated: 16,
      signed: true,
      pixels: [-10, 0, 5, 20],
      rescale: { slope: 2, intercept: -100 },
      window: { center: -100, width: 41 },
    });
    const raster = decodeDicomRaster(file);
    expect(values(raster.data)).toEqual([-120, -100, -90, -60]);
    expect(raster.full).toEqual({ lo: -32768 * 2 - 100, hi: 32767 * 2 - 100 });
    // y = ((x − (c − 0.5)) / (w − 1) + 0.5), clamped: (−120 + 100.5)/40 + 0.5 = 0.0125, etc.
    near(decode(file, 2).data, [0.0125, 0.5125, 0.7625, 1]);
    // minmax: (x + 120) / 60.
    near(decode(file, 2, { mode: 'minmax' }).data, [0, 20 / 60, 30 / 60, 1]);
    // manual overrides the tags: c = −90, w = 1 is a threshold at −90.5.
    near(decode(file, 2, { mode: 'manual', center: -90, width: 1 }).data, [0, 0, 1, 1]);
  });

  it('manual window without a width is a clear error', () => {
    expect(() => decode(writeDicom(base12), 2, { mode: 'manual', center: 10 })).toThrow(/windowCenter and a windowWidth of at least 1/);
  });

  it('RGB, interleaved and planar, give the same colours', () => {
    const rgb = [255, 0, 0, 0, 255, 0, 0, 0, 255, 51, 102, 153];
    const planar = [255, 0, 0, 51, 0, 255, 0, 102, 0, 0, 255, 153];
    const a = decode(writeDicom({ rows: 2, cols: 2, bitsAllocated: 8, samplesPerPixel: 3, pixels: rgb }), 2, undefined, false);
    const b = decode(writeDicom({ rows: 2, cols: 2, bitsAllocated: 8, samplesPerPixel: 3, planar: true, pixels: planar }), 2, undefined, false);
    near(a.data, rgb.map((v) => v / 255));
    near(b.data, rgb.map((v) => v / 255));
    // RGB DICOM in auto mode keeps its full range (no min–max stretch): the blue pixel stays 153/255.
    expect(a.data[11]).toBeCloseTo(153 / 255, 6);
  });

  it('YBR_FULL is converted to RGB (PS3.3 C.7.6.3.1.2); uncompressed YBR_FULL_422 is refused with a reason', () => {
    const ybr = [128, 128, 128, 100, 128, 200];
    const raster = decodeDicomRaster(writeDicom({ rows: 1, cols: 2, bitsAllocated: 8, samplesPerPixel: 3, photometric: 'YBR_FULL', pixels: ybr }));
    // Grey stays grey; Y 100, Cr 200: R = 100 + 1.402·72, G = 100 − 0.714136·72, B = 100.
    near(raster.data, [128, 128, 128, 100 + 1.402 * 72, 100 - 0.714136 * 72, 100], 3);
    expect(() => decode(writeDicom({ rows: 1, cols: 2, bitsAllocated: 8, samplesPerPixel: 3, photometric: 'YBR_FULL_422', pixels: ybr }), 2)).toThrow(
      /photometric interpretation YBR_FULL_422 is not supported here/,
    );
  });

  it('multi-frame: the first frame is used and the frame count is reported', () => {
    const pixels = [10, 20, 30, 40, 1000, 1000, 1000, 1000];
    for (const syntax of ['explicitLE', 'rle'] as const) {
      const out = decode(writeDicom({ rows: 2, cols: 2, frames: 2, pixels, syntax }), 2, { mode: 'minmax' });
      expect(out.frames).toBe(2);
      near(out.data, [0, 1 / 3, 2 / 3, 1]);
    }
  });
});

describe('compressed and unsupported', () => {
  it('JPEG baseline pixel data decodes like the same JPEG file', () => {
    const w = 8;
    const rgba = new Uint8Array(w * w * 4).map((_, i) => (i % 4 === 3 ? 255 : (i * 13) % 256));
    const jpg = jpeg.encode({ width: w, height: w, data: rgba }, 90).data;
    const file = writeDicom({ rows: w, cols: w, bitsAllocated: 8, samplesPerPixel: 3, photometric: 'YBR_FULL_422', syntax: 'jpegBaseline', pixels: [], encodedFrames: [jpg] });
    const fromDicom = decodeImage(file, 'j.dcm', { size: w, grayscale: false });
    const fromJpeg = decodeImage(jpg, 'j.jpg', { size: w, grayscale: false });
    expect(values(fromDicom.data)).toEqual(values(fromJpeg.data));
  });

  it('JPEG Lossless (SV1) pixel data decodes to the exact stored values, signed ones included', () => {
    const pixels = [0, 4095, 1, 2048, 65535, 0x8000, 300, 300, 299, 12, 40000, 7];
    const frame = encodeJpegLossless(pixels, 4, 3);
    const file = writeDicom({ rows: 3, cols: 4, pixels: [], syntax: 'jpegLossless', encodedFrames: [frame] });
    expect(values(decodeDicomRaster(file).data)).toEqual(pixels);
    // The same bits read as signed 16-bit two's complement.
    const signed = writeDicom({ rows: 3, cols: 4, pixels: [], signed: true, syntax: 'jpegLossless', encodedFrames: [frame] });
    expect(values(decodeDicomRaster(signed).data)).toEqual(pixels.map((v) => (v >= 0x8000 ? v - 0x10000 : v)));
  });

  it('HTJ2K is skipped with a reason naming the syntax and a conversion', () => {
    const file = writeDicom({ ...base12, syntax: 'htj2k', encodedFrames: [Uint8Array.from([0xff, 0x4f, 0xff, 0x51])] });
    expect(() => decode(file, 2)).toThrow(/x\.dcm: HTJ2K lossless \(transfer syntax 1\.2\.840\.10008\.1\.2\.4\.201\) is not supported yet; convert .*gdcmconv --raw/);
  });

  it('truncated pixel data and garbage after the marker are reported, not crashed on', () => {
    const file = writeDicom(base12);
    expect(() => decode(file.subarray(0, file.length - 3), 2)).toThrow(/x\.dcm: (truncated|invalid) DICOM/);
    const garbage = new Uint8Array(200);
    garbage.set(new TextEncoder().encode('DICM'), 128);
    garbage.fill(0xff, 132);
    expect(() => decode(garbage, 2)).toThrow(/x\.dcm: (truncated|invalid) DICOM/);
  });

  it('a DICOM without pixel data says it is not an image', () => {
    // Cut the file right before the pixel data element (tag 7FE0,0010 written little endian: E0 7F 10 00).
    const file = writeDicom(base12);
    let at = -1;
    for (let i = 132; i < file.length - 4; i++) if (file[i] === 0xe0 && file[i + 1] === 0x7f && file[i + 2] === 0x10 && file[i + 3] === 0) at = i;
    expect(() => decode(file.subarray(0, at), 2)).toThrow(/no Pixel Data/);
  });
});

describe('JPEG 2000 and JPEG-LS (WebAssembly codecs)', () => {
  // A known 16-bit image, 40×24: a diagonal ramp over the whole range, a pseudo-random texture, and both extremes.
  const W = 40;
  const H = 24;
  const image16 = Array.from({ length: W * H }, (_, i) => {
    const x = i % W;
    const y = Math.floor(i / W);
    if (i === 0) return 0;
    if (i === W * H - 1) return 65535;
    return (((x + y) * 1021 + ((i * 2654435761) >>> 0) % 977) >>> 0) % 65536;
  });
  const to = (bits: number) => image16.map((v) => v >> (16 - bits));
  /** The same bit patterns read as two's complement. */
  const asSigned = (values: number[], bits: number) => values.map((v) => (v >= 2 ** (bits - 1) ? v - 2 ** bits : v));
  const frame = (bitsPerSample: number, signed = false) => ({ width: W, height: H, bitsPerSample, signed });
  const spec = (bitsAllocated: 8 | 16, bitsStored: number, signed = false): DicomSpec => ({ rows: H, cols: W, pixels: [], bitsAllocated, bitsStored, signed });

  beforeAll(async () => {
    // Codecs load on first need; every test below awaits ensureDicomCodecs like the callers do.
    expect(await ensureDicomCodecs(writeDicom(base12))).toBeUndefined();
  });

  /** Decodes through the same steps as the image-set node and the CLI (prepareDecode, then the synchronous decode). */
  const raster = async (file: Uint8Array) => {
    await prepareDecode(file, 'x.dcm');
    return decodeDicomRaster(file);
  };

  it('JPEG 2000 lossless, 16-bit unsigned: pixel-exact', async () => {
    const file = writeDicom({ ...spec(16, 16), syntax: 'jpeg2000', encodedFrames: [await encodeJpeg2000(image16, frame(16))] });
    const r = await raster(file);
    expect(r).toMatchObject({ width: W, height: H, channels: 1, bitsStored: 16, full: { lo: 0, hi: 65535 } });
    expect(values(r.data)).toEqual(image16);
  });

  it('JPEG 2000 lossless, 16-bit signed and 12-bit signed/unsigned: pixel-exact per Pixel Representation', async () => {
    const s16 = asSigned(image16, 16);
    const f16 = writeDicom({ ...spec(16, 16, true), syntax: 'jpeg2000', encodedFrames: [await encodeJpeg2000(s16, frame(16, true))] });
    expect(values((await raster(f16)).data)).toEqual(s16);
    const u12 = to(12);
    const f12 = writeDicom({ ...spec(16, 12), syntax: 'jpeg2000', encodedFrames: [await encodeJpeg2000(u12, frame(12))] });
    expect(values((await raster(f12)).data)).toEqual(u12);
    const s12 = asSigned(u12, 12);
    const fs12 = writeDicom({ ...spec(16, 12, true), syntax: 'jpeg2000', encodedFrames: [await encodeJpeg2000(s12, frame(12, true))] });
    const r = await raster(fs12);
    expect(values(r.data)).toEqual(s12);
    expect(r.full).toEqual({ lo: -2048, hi: 2047 });
  });

  it('JPEG 2000 lossless, 8-bit grey and RGB (YBR_RCT: the decoder undoes the colour transform)', async () => {
    const u8 = to(8);
    const grey = writeDicom({ ...spec(8, 8), syntax: 'jpeg2000', encodedFrames: [await encodeJpeg2000(u8, frame(8))] });
    expect(values((await raster(grey)).data)).toEqual(u8);
    const rgb = Array.from({ length: W * H * 3 }, (_, i) => u8[Math.floor(i / 3)]! ^ (i % 3) * 85);
    const enc = await encodeJpeg2000(rgb, { ...frame(8), components: 3 });
    const file = writeDicom({ ...spec(8, 8), samplesPerPixel: 3, photometric: 'YBR_RCT', syntax: 'jpeg2000', encodedFrames: [enc] });
    const r = await raster(file);
    expect(r.channels).toBe(3);
    expect(values(r.data)).toEqual(rgb);
  });

  it('JPEG 2000 (.91) with Rescale Slope/Intercept: modality values', async () => {
    const u12 = to(12);
    const file = writeDicom({ ...spec(16, 12), rescale: { slope: 1, intercept: -1024 }, syntax: 'jpeg2000Lossy', encodedFrames: [await encodeJpeg2000(u12, frame(12))] });
    expect(values((await raster(file)).data)).toEqual(u12.map((v) => v - 1024));
  });

  it('JPEG-LS lossless, 16-bit unsigned and signed, 12-bit and 8-bit: pixel-exact', async () => {
    const u16 = writeDicom({ ...spec(16, 16), syntax: 'jpegLs', encodedFrames: [await encodeJpegLs(image16, frame(16))] });
    expect(values((await raster(u16)).data)).toEqual(image16);
    // JPEG-LS has no sign: signed images are coded as their bit patterns; Pixel Representation gives the values.
    const s16 = writeDicom({ ...spec(16, 16, true), syntax: 'jpegLs', encodedFrames: [await encodeJpegLs(image16, frame(16))] });
    expect(values((await raster(s16)).data)).toEqual(asSigned(image16, 16));
    const u12 = to(12);
    const f12 = writeDicom({ ...spec(16, 12), syntax: 'jpegLs', encodedFrames: [await encodeJpegLs(u12, frame(12))] });
    expect(values((await raster(f12)).data)).toEqual(u12);
    const u8 = to(8);
    const f8 = writeDicom({ ...spec(8, 8), syntax: 'jpegLs', encodedFrames: [await encodeJpegLs(u8, frame(8))] });
    expect(values((await raster(f8)).data)).toEqual(u8);
  });

  it('JPEG-LS RGB: sample-interleaved and plane-by-plane (interleave mode 0) give the same colours', async () => {
    const rgb = Array.from({ length: W * H * 3 }, (_, i) => (i * 37 + (i % 3) * 50) % 256);
    for (const interleave of [0, 1, 2] as const) {
      const enc = await encodeJpegLs(rgb, { ...frame(8), components: 3, interleave });
      const file = writeDicom({ ...spec(8, 8), samplesPerPixel: 3, syntax: 'jpegLs', encodedFrames: [enc] });
      expect(values((await raster(file)).data), `interleave ${interleave}`).toEqual(rgb);
    }
  });

  it('JPEG-LS near-lossless (.81): every pixel within NEAR of the original, and not simply lossless', async () => {
    const u12 = to(12);
    const near = 3;
    const enc = await encodeJpegLs(u12, { ...frame(12), near });
    const file = writeDicom({ ...spec(16, 12), syntax: 'jpegLsNear', encodedFrames: [enc] });
    const got = values((await raster(file)).data);
    const diffs = got.map((v, i) => Math.abs(v - u12[i]!));
    expect(Math.max(...diffs)).toBeLessThanOrEqual(near);
    expect(diffs.some((d) => d > 0)).toBe(true);
    expect(enc.length).toBeLessThan((await encodeJpegLs(u12, frame(12))).length);
  });

  it('through decodeImage: a JPEG 2000 file windows like the same uncompressed file', async () => {
    const u12 = to(12);
    const j2k = writeDicom({ ...spec(16, 12), window: { center: 2000, width: 1000 }, syntax: 'jpeg2000', encodedFrames: [await encodeJpeg2000(u12, frame(12))] });
    const plain = writeDicom({ ...spec(16, 12), window: { center: 2000, width: 1000 }, pixels: u12 });
    await prepareDecode(j2k, 'x.dcm');
    expect(values(decodeImage(j2k, 'x.dcm', { size: 16, grayscale: true }).data)).toEqual(values(decodeImage(plain, 'x.dcm', { size: 16, grayscale: true }).data));
  });

  it('a frame whose size disagrees with Rows/Columns is refused, naming both', async () => {
    const enc = await encodeJpeg2000(image16, frame(16));
    const file = writeDicom({ ...spec(16, 16), rows: W, cols: H, syntax: 'jpeg2000', encodedFrames: [enc] });
    await prepareDecode(file, 'x.dcm');
    expect(() => decode(file, 2)).toThrow(`x.dcm: invalid DICOM: JPEG 2000 frame is ${W}×${H}, header says ${H}×${W} (Columns×Rows)`);
    const jls = writeDicom({ ...spec(16, 16), samplesPerPixel: 3, photometric: 'RGB', syntax: 'jpegLs', encodedFrames: [await encodeJpegLs(image16, frame(16))] });
    expect(() => decode(jls, 2)).toThrow(/x\.dcm: invalid DICOM: JPEG-LS frame has 1 component\(s\), header says Samples per Pixel 3/);
    const deep = writeDicom({ ...spec(8, 8), syntax: 'jpegLs', encodedFrames: [await encodeJpegLs(image16, frame(16))] });
    expect(() => decode(deep, 2)).toThrow(/x\.dcm: invalid DICOM: JPEG-LS frame has 16-bit samples, header says Bits Allocated 8/);
  });

  it('corrupt codestreams are reported with the codec reason, not crashed on', async () => {
    const j2k = writeDicom({ ...spec(16, 16), syntax: 'jpeg2000', encodedFrames: [Uint8Array.from([0xff, 0x4f, 0xff, 0x51, 1, 2, 3, 4])] });
    await prepareDecode(j2k, 'x.dcm');
    expect(() => decode(j2k, 2)).toThrow(/^x\.dcm: couldn't decode JPEG 2000 pixel data: /);
    const jls = writeDicom({ ...spec(16, 16), syntax: 'jpegLs', encodedFrames: [Uint8Array.from([0xff, 0xd8, 0xff, 0xf7])] });
    await prepareDecode(jls, 'x.dcm');
    expect(() => decode(jls, 2)).toThrow(/^x\.dcm: couldn't decode JPEG-LS pixel data: .*(too small|more input)/);
    // Truncated: the first half of a valid frame.
    const enc = await encodeJpegLs(image16, frame(16));
    const cut = writeDicom({ ...spec(16, 16), syntax: 'jpegLs', encodedFrames: [enc.subarray(0, enc.length >> 1)] });
    expect(() => decode(cut, 2)).toThrow(/^x\.dcm: couldn't decode JPEG-LS pixel data: /);
    // The codecs still work afterwards.
    const ok = writeDicom({ ...spec(16, 16), syntax: 'jpegLs', encodedFrames: [enc] });
    expect(values((await raster(ok)).data)).toEqual(image16);
  });
});

describe('16-bit PNG windows', () => {
  const data = Uint16Array.from([1000, 2000, 3000, 5000]);
  const png = encodePng({ width: 2, height: 2, data, channels: 1, depth: 16 });
  it('auto keeps the full 0..65535 range (unchanged behaviour)', () => {
    near(decodeImage(png, 'p.png', { size: 2, grayscale: true }).data, Array.from(data, (v) => v / 65535));
    expect(values(decodeImage(png, 'p.png', { size: 2, grayscale: true, window: { mode: 'auto' } }).data)).toEqual(
      values(decodeImage(png, 'p.png', { size: 2, grayscale: true, window: { mode: 'full' } }).data),
    );
  });
  it('minmax and manual map to the chosen range', () => {
    near(decodeImage(png, 'p.png', { size: 2, grayscale: true, window: { mode: 'minmax' } }).data, [0, 0.25, 0.5, 1]);
    // c = 2000.5, w = 2001: lower 1000, upper 3000.
    near(decodeImage(png, 'p.png', { size: 2, grayscale: true, window: { mode: 'manual', center: 2000.5, width: 2001 } }).data, [0, 0.5, 1, 1]);
  });
});
