// Copies WebAssembly binaries the browser worker fetches into public/ (both folders git-ignored):
// - tfjs-backend-wasm → public/tfjs-wasm/, where the worker's wasmPath points;
// - the decode-only OpenJPEG and CharLS builds (JPEG 2000 / JPEG-LS DICOM) → public/dicom-wasm/, where
//   workers/engine/dicom-codecs.ts points their locateFile (DICOM_WASM_PATH).
// Runs before `npm run dev` and `npm run build`.
import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function copy(fromDir, names, toDir, hint) {
  const from = join(root, fromDir);
  const files = names ?? (existsSync(from) ? readdirSync(from).filter((f) => f.endsWith('.wasm')) : []);
  if (files.length === 0) throw new Error(`no .wasm files in ${from}; is ${hint} installed?`);
  for (const f of files) if (!existsSync(join(from, f))) throw new Error(`${join(from, f)} is missing; is ${hint} installed?`);
  const to = join(root, toDir);
  mkdirSync(to, { recursive: true });
  for (const f of files) copyFileSync(join(from, f), join(to, f));
  console.log(`copy-wasm: ${files.length} file${files.length === 1 ? '' : 's'} → ${toDir}/`);
}

copy('node_modules/@tensorflow/tfjs-backend-wasm/dist', null, 'public/tfjs-wasm', '@tensorflow/tfjs-backend-wasm');
copy('node_modules/@cornerstonejs/codec-openjpeg/dist', ['openjpegwasm_decode.wasm'], 'public/dicom-wasm', '@cornerstonejs/codec-openjpeg');
copy('node_modules/@cornerstonejs/codec-charls/dist', ['charlswasm_decode.wasm'], 'public/dicom-wasm', '@cornerstonejs/codec-charls');
