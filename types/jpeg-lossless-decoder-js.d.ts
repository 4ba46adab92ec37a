// The package ships no type declarations: the one class we use.
declare module 'jpeg-lossless-decoder-js' {
  export class Decoder {
    /** Decodes one JPEG lossless (ITU T.81 process 14) image; samples as Uint8Array or Uint16Array. */
    decode(buffer: ArrayBuffer, offset?: number, length?: number, numBytes?: number): Uint8Array | Uint16Array;
  }
}
