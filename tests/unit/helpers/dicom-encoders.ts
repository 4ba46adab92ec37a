/**
 * Test helper: JPEG 2000 and JPEG-LS frames made by the encoders in the full WebAssembly builds of
 * @cornerstonejs/codec-openjpeg and codec-charls (the app loads their decode-only builds), so decoder tests compare
 * against known pixels without fixture files. Samples are given as stored values; negative ones (signed images)
 * are written as their two's complement bits.
 */
import openJpegFactory from '@cornerstonejs/codec-openjpeg/wasmjs';
import charlsFactory from '@cornerstonejs/codec-charls/wasmjs';
import type { CharlsModule, OpenJpegModule } from '@cornerstonejs/codec-types';

export type FrameSpec = { width: number; height: number; bitsPerSample: number; components?: 1 | 3; signed?: boolean };

let openJpeg: Promise<OpenJpegModule> | undefined;
let charls: Promise<CharlsModule> | undefined;
// Each module gets its own options object (emscripten turns it into the module); codec chatter is dropped.
const quiet = () => ({ print: () => {}, printErr: () => {} });
const factory = <T>(f: unknown) => ((f as { default?: unknown }).default ?? f) as (o: object) => Promise<T>;

/** Interleaved samples as the little-endian bytes the encoders read (1 byte up to 8 bits, else 2). */
function sampleBytes(samples: ArrayLike<number>, bitsPerSample: number): Uint8Array {
  if (bitsPerSample <= 8) return Uint8Array.from(samples, (v) => v & 0xff);
  const out = new Uint8Array(samples.length * 2);
  const view = new DataView(out.buffer);
  for (let i = 0; i < samples.length; i++) view.setUint16(i * 2, samples[i]! & 0xffff, true);
  return out;
}

function planar(rgb: ArrayLike<number>): number[] {
  const n = rgb.length / 3;
  return Array.from({ length: rgb.length }, (_, i) => rgb[(i % n) * 3 + Math.floor(i / n)]!);
}

/** A lossless JPEG 2000 codestream (reversible 5/3 wavelet; colour transform for 3 components). */
export async function encodeJpeg2000(samples: ArrayLike<number>, spec: FrameSpec): Promise<Uint8Array> {
  const mod = await (openJpeg ??= factory<OpenJpegModule>(openJpegFactory)(quiet()));
  const encoder = new mod.J2KEncoder!();
  try {
    const components = spec.components ?? 1;
    const input = encoder.getDecodedBuffer({
      width: spec.width,
      height: spec.height,
      bitsPerSample: spec.bitsPerSample,
      componentCount: components,
      isSigned: spec.signed ?? false,
      isUsingColorTransform: components === 3,
    });
    input.set(sampleBytes(samples, spec.bitsPerSample));
    encoder.setQuality(true, 0);
    // Fewer wavelet levels than OpenJPEG's default 5 so small test images (≥ 8 pixels a side) are accepted.
    encoder.setDecompositions(Math.min(5, Math.floor(Math.log2(Math.min(spec.width, spec.height))) - 1));
    encoder.encode();
    return encoder.getEncodedBuffer().slice();
  } finally {
    encoder.delete();
  }
}

/** A JPEG-LS codestream: lossless with near = 0, else every sample within ±near. interleave: 0 none, 1 line, 2 sample. */
export async function encodeJpegLs(samples: ArrayLike<number>, spec: FrameSpec & { near?: number; interleave?: 0 | 1 | 2 }): Promise<Uint8Array> {
  const mod = await (charls ??= factory<CharlsModule>(charlsFactory)(quiet()));
  const encoder = new mod.JpegLSEncoder!();
  try {
    const input = encoder.getDecodedBuffer({ width: spec.width, height: spec.height, bitsPerSample: spec.bitsPerSample, componentCount: spec.components ?? 1 });
    const components = spec.components ?? 1;
    // Interleave mode 0 (none) takes one colour plane after another.
    input.set(sampleBytes(components === 3 && spec.interleave === 0 ? planar(samples) : samples, spec.bitsPerSample));
    encoder.setNearLossless(spec.near ?? 0);
    if (components === 3) encoder.setInterleaveMode(spec.interleave ?? 2);
    encoder.encode();
    return encoder.getEncodedBuffer().slice();
  } finally {
    encoder.delete();
  }
}
