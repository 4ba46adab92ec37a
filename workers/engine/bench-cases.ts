/**
 * Benchmark cases shared by `npm run bench:backends` in Node (bench/backend-case.ts) and in Chromium (the worker's
 * `benchmark` call driven by bench/browser-backends.ts), so both measure the same thing:
 *   ae128 / ae256  one Adam training step of the lecture AutoEncoder, batch 32, 128² / 256² grey;
 *   ae128fwd       its forward pass alone (the forward + backward ≈ 3× forward yardstick);
 *   mobilenet224   the PaDiM feature pass of MobileNetV2 (Sandler et al., CVPR 2018), batch 8, 224² RGB;
 *   padim1000      a PaDiM fit (Defard et al., ICPR 2021) on 1,000 phantom images via the lecture-padim template.
 * Every case reports ms per step (padim1000: the whole fit), images per second and the peak of
 * tf.memory().numBytes while it ran.
 */
import * as tf from '@tensorflow/tfjs';
import { buildAutoEncoder } from '../../graph-nodes/autoencoder/model';
import { applySet } from '../../cli/set-param';
import type { PipelineDoc } from '../../graph-nodes/core/pipeline-schema';
import { getTemplate } from '../../graph-nodes/templates';
import { withPeakTfBytes } from './peak-tf-memory';
import type { EngineSession } from './session';

/** The lecture AutoEncoder: 16,32,64,128,256,256 stride-2 convs → 4×4×256 code at 256 px. */
export const LECTURE_CHANNELS = [16, 32, 64, 128, 256, 256];
const LECTURE_AE = { channels: LECTURE_CHANNELS, codeChannels: 256 };
/** An AutoEncoder's layer widths (tests pass a small one). */
type AeShape = { channels: number[]; codeChannels: number };

export const BENCH_CASES = {
  ae128: 'AE train step, B=32, 128²',
  ae256: 'AE train step, B=32, 256²',
  ae128fwd: 'AE forward only, B=32, 128²',
  mobilenet224: 'MobileNetV2 features, B=8, 224²',
  padim1000: 'PaDiM fit, 1,000 images (whole fit)',
} as const;
export type BenchCase = keyof typeof BENCH_CASES;
export const isBenchCase = (name: string): name is BenchCase => Object.hasOwn(BENCH_CASES, name);
/** Cases that need the MobileNetV2 weights (../shared/models/mobilenet_v2_imagenet). */
export const MODEL_CASES: readonly BenchCase[] = ['mobilenet224', 'padim1000'];

/** The feature taps the mobilenet224 case reads (PaDiM's usual three scales). */
export const MOBILENET_TAPS = ['block_3_expand_relu', 'block_6_expand_relu', 'block_13_expand_relu'];
const PADIM_IMAGES = 1000;

export type CaseResult = { ms: number; perSecond: number; peakTfBytes: number };

/** Mean milliseconds per call after one warm-up call (kernel compilation, allocations). */
export async function timeIt(run: () => Promise<void>, repeats: number): Promise<number> {
  await run();
  const t0 = performance.now();
  for (let i = 0; i < repeats; i++) await run();
  return (performance.now() - t0) / repeats;
}

/** timeIt plus the peak TF.js memory over warm-up and repeats; `images` per call gives images per second. */
async function measure(run: () => Promise<void>, repeats: number, images: number): Promise<CaseResult> {
  const { result: ms, peakBytes } = await withPeakTfBytes(() => timeIt(run, repeats));
  return { ms, perSecond: (images * 1000) / ms, peakTfBytes: peakBytes };
}

/** One Adam training step of the lecture AutoEncoder on a [batch,size,size,1] batch. */
export async function timeAutoencoderStep(size: number, batch: number, repeats: number, shape: AeShape = LECTURE_AE): Promise<CaseResult> {
  const { autoencoder } = buildAutoEncoder({ inputShape: [size, size, 1], ...shape, seed: 0 });
  const optimizer = tf.train.adam(1e-3);
  const x = tf.randomUniform([batch, size, size, 1], 0, 1, 'float32', 1);
  try {
    return await measure(async () => {
      const loss = tf.tidy(() => optimizer.minimize(() => tf.mean(tf.square(tf.sub(x, autoencoder.apply(x) as tf.Tensor))), true)!);
      await loss.data();
      loss.dispose();
    }, repeats, batch);
  } finally {
    x.dispose();
    optimizer.dispose();
    autoencoder.dispose();
  }
}

/** One forward pass (inference) of the lecture AutoEncoder on a [batch,size,size,1] batch. */
export async function timeAutoencoderForward(size: number, batch: number, repeats: number, shape: AeShape = LECTURE_AE): Promise<CaseResult> {
  const { autoencoder } = buildAutoEncoder({ inputShape: [size, size, 1], ...shape, seed: 0 });
  const x = tf.randomUniform([batch, size, size, 1], 0, 1, 'float32', 1);
  try {
    return await measure(async () => {
      const y = autoencoder.predict(x) as tf.Tensor;
      await y.data();
      y.dispose();
    }, repeats, batch);
  } finally {
    x.dispose();
    autoencoder.dispose();
  }
}

/**
 * The MobileNetV2 feature pass: `source` is what tf.loadLayersModel takes (a model.json URL in the browser; in Node
 * an IO handler over the pretrained-cnn node's readArtifacts). Input is RGB in [0,1] (the model rescales itself).
 */
export async function timeFeaturePass(source: string | tf.io.IOHandler, batch: number, repeats: number, taps = MOBILENET_TAPS): Promise<CaseResult> {
  const model = await tf.loadLayersModel(source);
  const backbone = tf.model({ inputs: model.inputs, outputs: taps.map((t) => model.getLayer(t).output as tf.SymbolicTensor) });
  const size = model.inputs[0]!.shape[1] ?? 224;
  const x = tf.randomUniform([batch, size, size, 3], 0, 1, 'float32', 2);
  try {
    return await measure(async () => {
      const out = backbone.predict(x) as tf.Tensor[];
      await Promise.all(out.map((t) => t.data()));
      tf.dispose(out);
    }, repeats, batch);
  } finally {
    x.dispose();
    model.dispose(); // the tap model shares the base model's layers
  }
}

/** lecture-padim on `images` built-in phantoms (8 + 8 test images), its backbone read from `modelPath` (folder or URL). */
export function padimBenchDoc(modelPath: string, images = PADIM_IMAGES): PipelineDoc {
  const template = getTemplate('lecture-padim');
  if (!template) throw new Error('the lecture-padim template is missing');
  let doc = structuredClone(template.doc);
  for (const s of [`train-data.normals=${images}`, 'train-data.anomalies=0', 'test-data.normals=8', 'test-data.anomalies=8', `backbone.path=${modelPath}`]) {
    doc = applySet(doc, s);
  }
  return doc;
}

/** Runs padimBenchDoc through `session`; ms = seconds of the padim node (fit + scoring the 16 test images). */
export async function timePadimFit(session: EngineSession, modelPath: string, images = PADIM_IMAGES): Promise<CaseResult> {
  const doc = padimBenchDoc(modelPath, images);
  let fitSeconds: number | null = null;
  let failure = '';
  const { result: summary, peakBytes } = await withPeakTfBytes(async () => {
    const { summary } = await session.run(doc, (e) => {
      if (e.type === 'node-finished' && doc.nodes.find((n) => n.id === e.nodeId)?.type === 'padim') fitSeconds = e.seconds;
      if (e.type === 'node-failed') failure ||= `${e.nodeId}: ${e.error.message}`;
    });
    return summary;
  });
  session.clearCache();
  if (summary.status !== 'done' || fitSeconds === null) throw new Error(`the lecture-padim run ended ${summary.status}${failure ? ` (${failure})` : ''}`);
  const ms = (fitSeconds as number) * 1000;
  return { ms, perSecond: (images * 1000) / ms, peakTfBytes: peakBytes };
}

/** Where a run's model cases find the MobileNetV2: a model.json URL (browser), or a folder plus its IO handler (Node). */
export type BenchModel = { path: string; source: string | tf.io.IOHandler };

/** Runs one case as both benches do: batch 32 for the AutoEncoder, 8 for MobileNetV2, 1,000 images for PaDiM. */
export async function runBenchCase(c: string, opts: { repeats: number; session: EngineSession; model?: BenchModel }): Promise<CaseResult> {
  const model = () => {
    if (!opts.model) throw new Error(`case ${c} needs the MobileNetV2 model (../shared/models/mobilenet_v2_imagenet)`);
    return opts.model;
  };
  switch (c) {
    case 'ae128':
      return timeAutoencoderStep(128, 32, opts.repeats);
    case 'ae256':
      return timeAutoencoderStep(256, 32, opts.repeats);
    case 'ae128fwd':
      return timeAutoencoderForward(128, 32, opts.repeats);
    case 'mobilenet224':
      return timeFeaturePass(model().source, 8, opts.repeats);
    case 'padim1000':
      return timePadimFit(opts.session, model().path);
    default:
      throw new Error(`unknown benchmark case "${c}"; choose from ${Object.keys(BENCH_CASES).join(', ')}`);
  }
}
