/**
 * JPEG 2000 (OpenJPEG) and JPEG-LS (CharLS) decoders for DICOM pixel data: the decode-only WebAssembly builds of
 * @cornerstonejs/codec-openjpeg and @cornerstonejs/codec-charls. WebAssembly starts asynchronously, so a codec is
 * loaded on first need by `loadCodec` (dicom-decode's ensureDicomCodecs calls it when a file with that transfer
 * syntax is met) and used synchronously afterwards.
 *
 * Where the .wasm comes from: in Node (CLI, tests) the emscripten glue reads it next to itself in node_modules; in
 * the browser worker from /dicom-wasm/, where scripts/copy-wasm.mjs puts it (as for TF.js's /tfjs-wasm/).
 */
import type { CharlsModule, CodecModuleOptions, FrameInfo, OpenJpegModule } from '@cornerstonejs/codec-types';

export type CodecName = 'jpeg2000' | 'jpegls';

/** Where the browser worker fetches the codecs' .wasm files (copied into public/ by scripts/copy-wasm.mjs). */
export const DICOM_WASM_PATH = '/dicom-wasm/';

const LABEL: Record<CodecName, string> = { jpeg2000: 'JPEG 2000', jpegls: 'JPEG-LS' };

type Loaded = { jpeg2000: OpenJpegModule; jpegls: CharlsModule };

const modules: { [K in CodecName]?: Loaded[K] } = {};
const loading: { [K in CodecName]?: Promise<void> } = {};
/** Lines the codec printed as errors during the current decode (OpenJPEG reports problems only this way). */
const printed: string[] = [];

const inNode = typeof process === 'object' && typeof process.versions?.node === 'string';

function options(): CodecModuleOptions {
  const collect = (text: string) => {
    if (/error|fail/i.test(text) && printed.length < 20) printed.push(text.replace(/^\[ERROR\]\s*/, '').trim());
  };
  // A fresh object per module: emscripten turns it into the module itself.
  const opts: CodecModuleOptions = { print: collect, printErr: collect };
  if (!inNode) opts.locateFile = (path) => `${DICOM_WASM_PATH}${path}`;
  return opts;
}

/** CommonJS factory: Node's ESM loader puts it on `default`, bundlers may give the function itself. */
function factoryOf<T>(mod: unknown): (o: CodecModuleOptions) => Promise<T> {
  const m = mod as { default?: unknown };
  const f = typeof m.default === 'function' ? m.default : typeof (m.default as { default?: unknown })?.default === 'function' ? (m.default as { default: unknown }).default : mod;
  if (typeof f !== 'function') throw new Error('the codec module exports no factory');
  return f as (o: CodecModuleOptions) => Promise<T>;
}

export function isCodecLoaded(name: CodecName): boolean {
  return modules[name] !== undefined;
}

/** Loads a codec once; later calls share the same promise. A failed load is kept (every file gets its reason). */
export function loadCodec(name: CodecName): Promise<void> {
  loading[name] ??= (async () => {
    try {
      if (name === 'jpeg2000') {
        modules.jpeg2000 = await factoryOf<OpenJpegModule>(await import('@cornerstonejs/codec-openjpeg/decodewasmjs'))(options());
      } else {
        modules.jpegls = await factoryOf<CharlsModule>(await import('@cornerstonejs/codec-charls/decodewasmjs'))(options());
      }
    } catch (err) {
      const msg = err instanceof Error ? err.message : String(err);
      throw new Error(`couldn't load the ${LABEL[name]} decoder (${msg})`);
    }
  })();
  return loading[name]!;
}

export type CodecFrame = {
  /** Unsigned sample bits (two's complement values as their bit pattern), Uint8Array up to 8 bits, else Uint16Array. */
  samples: Uint8Array | Uint16Array;
  /** false: one colour plane after another (JPEG-LS interleave mode 0). */
  interleaved: boolean;
  info: FrameInfo;
};

function describe(err: unknown, mod: CharlsModule | OpenJpegModule): string {
  // C++ exceptions arrive as a number (a pointer); the CharLS decoder build can turn it into its message.
  if (typeof err === 'number') {
    const getMessage = (mod as CharlsModule).getExceptionMessage;
    if (getMessage) {
      try {
        return getMessage(err);
      } catch {
        /* fall through */
      }
    }
    return printed[0] ?? 'corrupt or unsupported codestream';
  }
  return err instanceof Error ? err.message : String(err);
}

/** Decodes one frame with a loaded codec (see loadCodec). Throws a plain-language reason on corrupt data. */
export function decodeCodecFrame(name: CodecName, frame: Uint8Array): CodecFrame {
  const mod = modules[name];
  if (!mod) throw new Error(`internal error: the ${LABEL[name]} decoder is not loaded (call ensureDicomCodecs first)`);
  printed.length = 0;
  const decoder = name === 'jpeg2000' ? new (mod as OpenJpegModule).J2KDecoder() : new (mod as CharlsModule).JpegLSDecoder();
  try {
    decoder.getEncodedBuffer(frame.length).set(frame);
    decoder.decode();
    const info = decoder.getFrameInfo();
    // OpenJPEG does not throw on a codestream it cannot read: it prints an error and reports a 0×0 image.
    if (info.width === 0 || info.height === 0 || info.componentCount === 0) {
      throw new Error(printed[0] ?? `not a ${LABEL[name]} codestream`);
    }
    const bytes = decoder.getDecodedBuffer().slice(); // the view lives in wasm memory: copy before delete()
    const samples = info.bitsPerSample <= 8 ? bytes : new Uint16Array(bytes.buffer, 0, bytes.length >> 1);
    const interleaved = name === 'jpeg2000' || (decoder as InstanceType<CharlsModule['JpegLSDecoder']>).getInterleaveMode() !== 0;
    return { samples, interleaved, info };
  } catch (err) {
    const reason = describe(err, mod);
    // A trap (RuntimeError) may leave the module unusable: start a fresh one next time.
    if (err instanceof WebAssembly.RuntimeError) {
      delete modules[name];
      delete loading[name];
    }
    throw new Error(`couldn't decode ${LABEL[name]} pixel data: ${reason}`);
  } finally {
    try {
      decoder.delete();
    } catch {
      /* a trapped module cannot free */
    }
  }
}
