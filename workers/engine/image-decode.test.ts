import { encode as encodePng } from 'fast-png';
import jpeg from 'jpeg-js';
import { describe, expect, it } from 'vitest';
import { decodeImage, decodeMask, resizeArea, sniffFormat } from './image-decode';

const grey4x4 = Uint8Array.from({ length: 16 }, (_, i) => i * 10);

describe('sniffFormat', () => {
  it('reads magic bytes, not names', () => {
    expect(sniffFormat(Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe('png');
    expect(sniffFormat(Uint8Array.from([0xff, 0xd8, 0xff, 0xe0]))).toBe('jpeg');
    expect(sniffFormat(new TextEncoder().encode('GIF89a...'))).toBeNull();
  });
});

describe('decodeImage: PNG', () => {
  it('decodes 8-bit grey exactly at native size', () => {
    const png = encodePng({ width: 4, height: 4, data: grey4x4, channels: 1, depth: 8 });
    const out = decodeImage(png, 'a.png', { size: 4, grayscale: true });
    expect(out).toMatchObject({ width: 4, height: 4, channels: 1 });
    expect(Array.from(out.data)).toEqual(Array.from(grey4x4, (v) => Math.fround(v / 255)));
  });

  it('area-averages 4×4 → 2×2 (hand-computed)', () => {
    const png = encodePng({ width: 4, height: 4, data: grey4x4, channels: 1, depth: 8 });
    const out = decodeImage(png, 'a.png', { size: 2, grayscale: true });
    // Top-left block 0,10,40,50 → 25; top-right 20,30,60,70 → 45; bottom 80,90,120,130 → 105; 100,110,140,150 → 125.
    const want = [25, 45, 105, 125].map((v) => v / 255);
    out.data.forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 6));
  });

  it('decodes 16-bit grey (divides by 65535)', () => {
    const data = Uint16Array.from([0, 65535, 32768, 1000]);
    const png = encodePng({ width: 2, height: 2, data, channels: 1, depth: 16 });
    const out = decodeImage(png, 'b.png', { size: 2, grayscale: true });
    out.data.forEach((v, i) => expect(v).toBeCloseTo(data[i]! / 65535, 6));
  });

  it('decodes RGBA: luminance when grey, RGB kept otherwise, alpha dropped', () => {
    const data = Uint8Array.from([255, 0, 0, 10, 0, 255, 0, 128, 0, 0, 255, 255, 255, 255, 255, 0]);
    const png = encodePng({ width: 2, height: 2, data, channels: 4, depth: 8 });
    const grey = decodeImage(png, 'c.png', { size: 2, grayscale: true });
    [0.299, 0.587, 0.114, 1].forEach((v, i) => expect(grey.data[i]!).toBeCloseTo(v, 5));
    const rgb = decodeImage(png, 'c.png', { size: 2, grayscale: false });
    expect(rgb.channels).toBe(3);
    expect(Array.from(rgb.data)).toEqual([1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 1, 1]);
  });

  it('decodes grey+alpha and replicates grey to 3 channels when RGB is asked for', () => {
    const data = Uint8Array.from([51, 255, 102, 0]);
    const png = encodePng({ width: 2, height: 1, data, channels: 2, depth: 8 });
    const out = decodeImage(png, 'd.png', { size: 2, grayscale: false });
    expect(out.channels).toBe(3);
    expect(out.data.length).toBe(2 * 2 * 3);
    // Row 0 pixel 0 (upscaled along y only): 0.2 in all channels.
    expect(out.data[0]).toBeCloseTo(0.2, 6);
    expect(out.data[1]).toBeCloseTo(0.2, 6);
    expect(out.data[2]).toBeCloseTo(0.2, 6);
  });

  it('decodes palette PNGs through the palette', () => {
    const png = encodePng({
      width: 2,
      height: 2,
      data: Uint8Array.from([0, 1, 1, 0]),
      channels: 1,
      depth: 8,
      palette: [
        [255, 0, 0],
        [0, 0, 255],
      ],
    });
    const out = decodeImage(png, 'p.png', { size: 2, grayscale: false });
    expect(Array.from(out.data)).toEqual([1, 0, 0, 0, 0, 1, 0, 0, 1, 1, 0, 0]);
  });

  it('unpacks 1-bit grey rows', () => {
    // 3 pixels per row, rows padded to a byte: 101 / 010.
    const png = encodePng({ width: 3, height: 2, data: Uint8Array.from([0b10100000, 0b01000000]), channels: 1, depth: 1 });
    const out = decodeImage(png, 'bits.png', { size: 3, grayscale: true });
    // Upsampling 3×2 → 3×3 blends rows; check the first and last rows, which map onto source rows exactly.
    expect(Array.from(out.data.subarray(0, 3))).toEqual([1, 0, 1]);
    expect(Array.from(out.data.subarray(6, 9))).toEqual([0, 1, 0]);
  });

  it('decodes valid bytes whatever the extension says', () => {
    const png = encodePng({ width: 4, height: 4, data: grey4x4, channels: 1, depth: 8 });
    expect(decodeImage(png, 'really-a-png.jpeg', { size: 4, grayscale: true }).data[5]).toBeCloseTo(50 / 255, 6);
  });

  it('rejects corrupt and truncated data with a reason', () => {
    const png = encodePng({ width: 4, height: 4, data: grey4x4, channels: 1, depth: 8 });
    expect(() => decodeImage(new TextEncoder().encode('hello'), 'x.png', { size: 4, grayscale: true })).toThrow(
      /x\.png: not a PNG, JPEG or DICOM file/,
    );
    expect(() => decodeImage(new Uint8Array(0), 'e.png', { size: 4, grayscale: true })).toThrow(/not a PNG, JPEG or DICOM file \(empty file\)/);
    expect(() => decodeImage(png.subarray(0, png.length - 20), 't.png', { size: 4, grayscale: true })).toThrow(/truncated PNG/);
    expect(() => decodeImage(png.subarray(0, 20), 't.png', { size: 4, grayscale: true })).toThrow(/truncated PNG/);
  });
});

describe('decodeImage: JPEG', () => {
  const w = 16;
  const h = 8;
  const rgba = new Uint8Array(w * h * 4);
  for (let i = 0; i < w * h; i++) rgba.set([200, 100, 50, 255], i * 4);
  const jpg = new Uint8Array(jpeg.encode({ width: w, height: h, data: rgba }, 95).data);

  it('decodes within JPEG tolerance, resizes and converts to grey', () => {
    const rgb = decodeImage(jpg, 'j.jpg', { size: 4, grayscale: false });
    expect(rgb).toMatchObject({ width: 16, height: 8, channels: 3 });
    expect(rgb.data.length).toBe(4 * 4 * 3);
    for (let i = 0; i < 16; i++) {
      expect(Math.abs(rgb.data[i * 3]! - 200 / 255)).toBeLessThan(0.03);
      expect(Math.abs(rgb.data[i * 3 + 1]! - 100 / 255)).toBeLessThan(0.03);
      expect(Math.abs(rgb.data[i * 3 + 2]! - 50 / 255)).toBeLessThan(0.03);
    }
    const grey = decodeImage(jpg, 'j.png', { size: 4, grayscale: true });
    const lum = (0.299 * 200 + 0.587 * 100 + 0.114 * 50) / 255;
    grey.data.forEach((v) => expect(Math.abs(v - lum)).toBeLessThan(0.03));
  });

  it('rejects a truncated JPEG', () => {
    expect(() => decodeImage(jpg.subarray(0, 100), 'cut.jpeg', { size: 4, grayscale: true })).toThrow(/cut\.jpeg: couldn't decode JPEG/);
  });
});

describe('decodeMask', () => {
  it('thresholds at 0.5 after resizing', () => {
    // Left column white, right black: 2×2 area average keeps left on, right off; a 25% block turns off.
    const data = Uint8Array.from([255, 255, 0, 0, 255, 255, 0, 255, 255, 255, 0, 0, 255, 255, 0, 0]);
    const png = encodePng({ width: 4, height: 4, data, channels: 1, depth: 8 });
    const out = decodeMask(png, 'm.png', { size: 2 });
    expect(out.channels).toBe(1);
    expect(Array.from(out.data)).toEqual([1, 0, 1, 0]);
  });
});

describe('resizeArea', () => {
  it('preserves the mean when shrinking by a non-integer factor', () => {
    const src = Float32Array.from({ length: 5 * 5 }, (_, i) => (i * 7) % 11);
    const out = resizeArea(src, 5, 5, 1, 3, 3);
    const mean = (a: Float32Array) => a.reduce((s, v) => s + v, 0) / a.length;
    expect(mean(out)).toBeCloseTo(mean(src), 4);
  });

  it('upsamples bilinearly between pixel centres', () => {
    const out = resizeArea(Float32Array.from([0, 1]), 2, 1, 1, 4, 1);
    expect(Array.from(out)).toEqual([0, 0.25, 0.75, 1]);
  });
});
