/**
 * One backend benchmark case, run in its own process by bench/backends.ts (so a slow backend can be timed out
 * and peak memory is per case). Prints one JSON line: { ms, perSecond, peakRssBytes } or { error }.
 *   tsx bench/backend-case.ts BACKEND CASE   (CASE: ae128 | ae256 | ae128fwd | mobilenet224 | padim1000)
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { initBackend, NODE_ORDER } from '../workers/engine/backend';
import { timeAutoencoderForward, timeAutoencoderStep, timeIt } from '../workers/engine/bench-cases';

const [backend = 'wasm', name = 'ae128'] = process.argv.slice(2);
export const MODEL_DIR = path.resolve('../shared/models/mobilenet_v2_imagenet');
/** Timed repetitions after the warm-up (one on the slow cpu backend). */
const REPEATS = backend === 'cpu' ? 1 : 2;

async function aeStep(size: number) {
  const ms = await timeAutoencoderStep(size, 32, REPEATS);
  return { ms, perSecond: (32 * 1000) / ms };
}

async function loadMobileNet() {
  const { readFile } = await import('node:fs/promises');
  const json = JSON.parse(await readFile(path.join(MODEL_DIR, 'model.json'), 'utf8'));
  const specs: tf.io.WeightsManifestEntry[] = [];
  const buffers: Buffer[] = [];
  for (const group of json.weightsManifest) {
    specs.push(...group.weights);
    for (const p of group.paths) buffers.push(await readFile(path.join(MODEL_DIR, p)));
  }
  const all = Buffer.concat(buffers);
  const model = await tf.loadLayersModel({
    load: async () => ({ modelTopology: json.modelTopology, weightSpecs: specs, weightData: all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength) }),
  });
  const taps = ['block_3_expand_relu', 'block_6_expand_relu', 'block_13_expand_relu'];
  return tf.model({ inputs: model.inputs, outputs: taps.map((t) => model.getLayer(t).output as tf.SymbolicTensor) });
}

async function mobilenetPass() {
  if (!existsSync(MODEL_DIR)) return { error: `no model at ${MODEL_DIR}` };
  const backbone = await loadMobileNet();
  const x = tf.randomUniform([8, 224, 224, 3], 0, 1, 'float32', 2);
  const ms = await timeIt(async () => {
    const out = backbone.predict(x) as tf.Tensor[];
    await Promise.all(out.map((t) => t.data()));
    tf.dispose(out);
  }, REPEATS);
  return { ms, perSecond: (8 * 1000) / ms };
}

async function padimFit() {
  // PaDiM fit on 1,000 phantom images through the real engine (needs the padim and pretrained-cnn nodes).
  const { getTemplate } = await import('../graph-nodes/templates');
  const template = getTemplate('lecture-padim');
  if (!template || !existsSync(MODEL_DIR)) return { error: 'needs the lecture-padim template and ../shared/models/mobilenet_v2_imagenet' };
  const { EngineSession } = await import('../workers/engine/session');
  const { createNodeIO } = await import('../workers/engine/node-io');
  const { applySet } = await import('../cli/set-param');
  let doc = structuredClone(template.doc);
  for (const s of ['train-data.normals=1000', 'train-data.anomalies=0', 'test-data.normals=8', 'test-data.anomalies=8', `backbone.path=${MODEL_DIR}`]) doc = applySet(doc, s);
  const session = new EngineSession(createNodeIO(), backend);
  let fitSeconds = 0;
  const { summary } = await session.run(doc, (e) => {
    if (e.type === 'node-finished' && doc.nodes.find((n) => n.id === e.nodeId)?.type === 'padim') fitSeconds = e.seconds;
    if (e.type === 'node-failed') console.error(e.error.message);
  });
  if (summary.status !== 'done') return { error: `run ${summary.status}` };
  return { ms: fitSeconds * 1000, perSecond: 1000 / fitSeconds };
}

const cases: Record<string, () => Promise<{ ms?: number; perSecond?: number; error?: string }>> = {
  ae128: () => aeStep(128),
  ae256: () => aeStep(256),
  ae128fwd: async () => {
    const ms = await timeAutoencoderForward(128, 32, REPEATS);
    return { ms, perSecond: (32 * 1000) / ms };
  },
  mobilenet224: mobilenetPass,
  padim1000: padimFit,
};

try {
  const info = await initBackend(backend, NODE_ORDER, { probe: false });
  if (info.name !== backend) throw new Error(`backend ${backend} unavailable`);
  const r = await cases[name]!();
  console.log(JSON.stringify({ ...r, peakRssBytes: process.resourceUsage().maxRSS * 1024 }));
} catch (err) {
  console.log(JSON.stringify({ error: err instanceof Error ? err.message : String(err) }));
}
