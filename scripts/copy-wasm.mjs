// Copies the tfjs-backend-wasm binaries to public/tfjs-wasm/ (git-ignored), where the worker's wasmPath points.
// Runs before `npm run dev` and `npm run build`.
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const from = join(root, 'node_modules/@tensorflow/tfjs-backend-wasm/dist');
const to = join(root, 'public/tfjs-wasm');

const files = readdirSync(from).filter((f) => f.endsWith('.wasm'));
if (files.length === 0) throw new Error(`no .wasm files in ${from}; is @tensorflow/tfjs-backend-wasm installed?`);
mkdirSync(to, { recursive: true });
for (const f of files) copyFileSync(join(from, f), join(to, f));
console.log(`copy-wasm: ${files.length} files → public/tfjs-wasm/`);
