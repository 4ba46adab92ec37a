// @cornerstonejs/codec-openjpeg and codec-charls ship no type declarations: the parts we use. Each entry point is
// an emscripten factory: call it with module overrides (print, printErr, locateFile) and await the module.
declare module '@cornerstonejs/codec-openjpeg/decodewasmjs' {
  import type { OpenJpegModule, CodecModuleOptions } from '@cornerstonejs/codec-types';
  const factory: (options?: CodecModuleOptions) => Promise<OpenJpegModule>;
  export default factory;
}
declare module '@cornerstonejs/codec-openjpeg/wasmjs' {
  import type { OpenJpegModule, CodecModuleOptions } from '@cornerstonejs/codec-types';
  const factory: (options?: CodecModuleOptions) => Promise<OpenJpegModule>;
  export default factory;
}
declare module '@cornerstonejs/codec-charls/decodewasmjs' {
  import type { CharlsModule, CodecModuleOptions } from '@cornerstonejs/codec-types';
  const factory: (options?: CodecModuleOptions) => Promise<CharlsModule>;
  export default factory;
}
declare module '@cornerstonejs/codec-charls/wasmjs' {
  import type { CharlsModule, CodecModuleOptions } from '@cornerstonejs/codec-types';
  const factory: (options?: CodecModuleOptions) => Promise<CharlsModule>;
  export default factory;
}

/** Shared shapes (not a real package: only referenced from the declarations above). */
declare module '@cornerstonejs/codec-types' {
  export type CodecModuleOptions = {
    print?: (text: string) => void;
    printErr?: (text: string) => void;
    locateFile?: (path: string, scriptDirectory: string) => string;
  };
  export type FrameInfo = { width: number; height: number; bitsPerSample: number; componentCount: number; isSigned?: boolean };
  /** An embind object: free its wasm memory with delete(). */
  type Handle = { delete(): void };
  export type Decoder = Handle & {
    /** A view of wasm memory of this length: copy the encoded frame into it. */
    getEncodedBuffer(length: number): Uint8Array;
    decode(): void;
    /** A view of wasm memory (valid until the next call into the module): samples, little endian. */
    getDecodedBuffer(): Uint8Array;
    getFrameInfo(): FrameInfo;
  };
  export type Encoder = Handle & {
    /** A view of wasm memory sized for the frame: copy the samples (little endian) into it. */
    getDecodedBuffer(info: FrameInfo & { isSigned?: boolean; isUsingColorTransform?: boolean }): Uint8Array;
    encode(): void;
    getEncodedBuffer(): Uint8Array;
  };
  export type OpenJpegModule = {
    J2KDecoder: new () => Decoder & { getIsReversible(): boolean };
    J2KEncoder?: new () => Encoder & { setQuality(lossless: boolean, quality: number): void; setDecompositions(n: number): void };
  };
  export type CharlsModule = {
    JpegLSDecoder: new () => Decoder & { getNearLossless(): number; getInterleaveMode(): number };
    JpegLSEncoder?: new () => Encoder & { setNearLossless(near: number): void; setInterleaveMode(mode: number): void };
    /** Decoder builds only: the message of a thrown C++ exception (thrown to JS as a pointer). */
    getExceptionMessage?: (ptr: number) => string;
  };
}
