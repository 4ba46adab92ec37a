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
import { type BenchCase, type CaseResult, isBenchCase, MODEL_CASES, timeAutoencoderForward, timeAutoencoderStep, timeFeaturePass, timePadimFit } from '../workers/engine/bench-cases';
import { createNodeIO } from '../workers/engine/node-io';
import { MODEL_DIR } from './bench-report';

const [backend = 'wasm', name = 'ae128'] = process.argv.slice(2);
/** Timed repetitions after the warm-up (one on the slow cpu backend). */
const REPEATS = backend === 'cpu' ? 1 : 2;

async function runCase(c: BenchCase): Promise<CaseResult> {
  switch (c) {
    case 'ae128':
      return timeAutoencoderStep(128, 32, REPEATS);
    case 'ae256':
      return timeAutoencoderStep(256, 32, REPEATS);
    case 'ae128fwd':
      return timeAutoencoderForward(128, 32, REPEATS);
    case 'mobilenet224': {
      // The pretrained-cnn node's own reader (model.json + shards through the Node IO).
      const io = createNodeIO();
      return timeFeaturePass({ load: () => readArtifacts(io, io.join(MODEL_DIR, 'model.json')) }, 8, REPEATS);
    }
    case 'padim1000': {
      const { EngineSession } = await import('../workers/engine/session');
      return timePadimFit(new EngineSession(createNodeIO(), backend), MODEL_DIR);
    }
  }
}

let out: object;
try {
  if (!isBenchCase(name)) throw new Error(`unknown case "${name}"`);
  if (MODEL_CASES.includes(name) && !existsSync(MODEL_DIR)) out = { skipped: `no model at ${MODEL_DIR}` };
  else {
    const info = await initBackend(backend, NODE_ORDER, { probe: false });
    if (info.name !== backend) throw new Error(`backend ${backend} unavailable`);
    out = await runCase(name);
  }
} catch (err) {
  out = { error: err instanceof Error ? err.message : String(err) };
}
// A skipped case did no work: its RSS would only measure the Node start-up.
console.log(JSON.stringify('skipped' in out ? out : { ...out, peakRssBytes: process.resourceUsage().maxRSS * 1024 }));
