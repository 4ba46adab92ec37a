/**
 * One backend benchmark case, run in its own process by bench/backends.ts (so a slow backend can be killed at
 * its time limit and peak memory is per case). Prints one JSON line: { ms, perSecond, peakTfBytes, peakRssBytes },
 * { skipped } or { error }.
 *   node --import tsx bench/backend-case.ts BACKEND CASE   (CASE: ae128 | ae256 | ae128fwd | mobilenet224 | padim1000)
 */
import { existsSync } from 'node:fs';
import '@tensorflow/tfjs-backend-wasm';
import { readArtifacts } from '../graph-nodes/pretrained-cnn/kernel';
import { initBackend, NODE_ORDER } from '../workers/engine/backend';
import { isBenchCase, MODEL_CASES, runBenchCase } from '../workers/engine/bench-cases';
import { createNodeIO } from '../workers/engine/node-io';
import { EngineSession } from '../workers/engine/session';
import { MODEL_DIR } from './bench-report';

const [backend = 'wasm', name = 'ae128'] = process.argv.slice(2);
/** Timed repetitions after the warm-up (one on the slow cpu backend). */
const REPEATS = backend === 'cpu' ? 1 : 2;

let out: object;
try {
  if (!isBenchCase(name)) throw new Error(`unknown case "${name}"`);
  if (MODEL_CASES.includes(name) && !existsSync(MODEL_DIR)) out = { skipped: `no model at ${MODEL_DIR}` };
  else {
    const info = await initBackend(backend, NODE_ORDER, { probe: false });
    if (info.name !== backend) throw new Error(`backend ${backend} unavailable`);
    const io = createNodeIO();
    // The model cases read the folder with the pretrained-cnn node's own reader (model.json + shards).
    const model = { path: MODEL_DIR, source: { load: () => readArtifacts(io, io.join(MODEL_DIR, 'model.json')) } };
    out = await runBenchCase(name, { repeats: REPEATS, session: new EngineSession(io, backend), model });
  }
} catch (err) {
  out = { error: err instanceof Error ? err.message : String(err) };
}
// A skipped case did no work: its RSS would only measure the Node start-up.
console.log(JSON.stringify('skipped' in out ? out : { ...out, peakRssBytes: process.resourceUsage().maxRSS * 1024 }));
