/**
 * Trained detectors out of a run, and back in for headless scoring (`kizuki score`).
 * `buildDetector` takes a finished run's scorer node, walks up to the AutoEncoder and image set that fed it, and
 * packs the trained model (model.save through a save handler), the scorer's params, the image set's preprocessing,
 * a threshold (a downstream threshold node's; else residual: the 95th percentile of the training images' scores,
 * latent distance: the node's normal radius r) and (latent distance) the normal training codes into files (detector-schema.ts describes them).
 * `loadDetector` reads those files and scores image tensors with the same functions the kernels use, so a run and
 * `kizuki score` give the same numbers on the same images.
 * Supported: residual-max and latent-distance on an AutoEncoder; other scorers get UNSUPPORTED_DETECTOR.
 */
import * as tf from '@tensorflow/tfjs';
import { KizukiError } from '../../graph-nodes/core/errors';
import { streamOf } from '../../graph-nodes/core/image-stream';
import type { EmbeddingsValue, ImageSetValue, ImageStream, LazyImageSetValue, MetricsValue, ModelValue } from '../../graph-nodes/core/kernel-types';
import type { PipelineDoc } from '../../graph-nodes/core/pipeline-schema';
import { percentile } from '../../graph-nodes/core/score-stats';
import { predictInBatches } from '../../graph-nodes/autoencoder/model';
import { latentDistances } from '../../graph-nodes/latent-distance/kernel';
import { gaussianBlur, reduceMaps } from '../../graph-nodes/residual-max/kernel';
import {
  DETECTOR_FILE,
  DETECTOR_FORMAT,
  DETECTOR_VERSION,
  type DetectorSpec,
  parseDetectorSpec,
  SUPPORTED_SCORERS,
  type SupportedScorer,
} from './detector-schema';
import { planPipeline, type PlannedNode } from './plan';
import type { NodeOutputs } from './values';

/** Relative path → bytes; written to a folder by the CLI, zipped by the app. */
export type DetectorFiles = Record<string, Uint8Array>;

const MODEL_JSON = 'model/model.json';
const WEIGHTS_BIN = 'weights.bin';
const REFERENCE_BIN = 'reference.bin';
/** Same batch as the AutoEncoder kernel, so reconstructions are computed identically. */
const PREDICT_BATCH = 32;

const unsupported = (nodeId: string, reason: string) =>
  new KizukiError('UNSUPPORTED_DETECTOR', { nodeId, reason: `${reason} (supported: ${Object.values(SUPPORTED_SCORERS).join('; ')})` });

/** Scorer nodes of a plan that a detector can be built from (type only; the wiring is checked when building). */
export function detectorCandidates(doc: PipelineDoc): string[] {
  const planned = planPipeline(doc);
  if (!planned.ok) return [];
  return planned.plan.order.filter((n) => n.definition.type in SUPPORTED_SCORERS).map((n) => n.id);
}

type Lookup = (nodeId: string) => NodeOutputs | undefined;

export async function buildDetector(doc: PipelineDoc, scorerNodeId: string, outputsOf: Lookup, now = new Date()): Promise<DetectorFiles> {
  const planned = planPipeline(doc);
  if (!planned.ok) throw unsupported(scorerNodeId, `the pipeline is not valid (${planned.issues[0]?.message ?? ''})`);
  const nodes = new Map(planned.plan.order.map((n) => [n.id, n]));
  const scorer = nodes.get(scorerNodeId);
  if (!scorer) throw unsupported(scorerNodeId, 'there is no such node');
  const type = scorer.definition.type;
  if (!(type in SUPPORTED_SCORERS)) throw unsupported(scorerNodeId, `it is a ${type} node, which a detector cannot carry yet`);

  // The scored images reach the scorer through an AutoEncoder: recon (residual) or codes (latent distance).
  const viaPort = type === 'residual-max' ? 'recon' : 'images';
  const wantedAePort = type === 'residual-max' ? 'recon' : 'codes';
  const aeLink = scorer.inputs[viaPort];
  const ae = aeLink ? nodes.get(aeLink.nodeId) : undefined;
  if (!ae || ae.definition.type !== 'autoencoder' || aeLink!.port !== wantedAePort) {
    throw unsupported(scorerNodeId, `it must take its ${viaPort} input from an AutoEncoder's ${wantedAePort} output`);
  }
  const imagesNode = imageSetFeeding(scorerNodeId, ae, nodes);
  if (type === 'residual-max') {
    const direct = scorer.inputs.images;
    if (!direct || direct.nodeId !== imagesNode.id) {
      throw unsupported(scorerNodeId, `it must compare the same image set the AutoEncoder reconstructs ("${imagesNode.id}")`);
    }
  }

  const aeOutputs = outputsOf(ae.id);
  const scorerOutputs = outputsOf(scorer.id);
  if (!aeOutputs || !scorerOutputs) throw unsupported(scorerNodeId, `node "${!aeOutputs ? ae.id : scorer.id}" has no result: run the pipeline first`);
  const model = aeOutputs.model as ModelValue;
  const files: DetectorFiles = {};
  await saveModel(model.model, files);

  const size = Number(imagesNode.params.size);
  const grayscale = Boolean(imagesNode.params.grayscale);
  const scores = scorerOutputs.scores;
  const base = {
    format: DETECTOR_FORMAT,
    version: DETECTOR_VERSION,
    createdAt: now.toISOString(),
    source: { pipeline: doc.name, scorerNode: scorer.id, modelNode: ae.id },
    scoreName: scores?.kind === 'Scores' ? scores.scorer : type,
    direction: 'higher-is-anomalous' as const,
    preprocessing: { size, grayscale, range: '0..1' as const, resize: 'area' as const },
  };
  let spec: DetectorSpec;
  if (type === 'residual-max') {
    const params = scorer.params as ResidualParams;
    // Without a threshold node: the 95th percentile of the normal training images' own scores (≈ 5 % false alarms).
    let threshold = thresholdFrom(scorer.id, planned.plan.order, outputsOf);
    const trainLink = ae.inputs.train;
    const train = trainLink ? (outputsOf(trainLink.nodeId)?.[trainLink.port] as ImageSetValue | LazyImageSetValue | undefined) : undefined;
    if (!threshold && train?.kind === 'ImageSet') {
      const own = await streamedResidualScores(model.model, streamOf(train), params);
      threshold = { value: percentile(own, TRAIN_PERCENTILE), source: `${TRAIN_PERCENTILE}th percentile of the ${own.length} training images' scores` };
    }
    spec = {
      ...base,
      model: { file: MODEL_JSON, inputShape: model.inputShape },
      scorer: { type: 'residual-max', typeVersion: scorer.definition.version, params: params as never },
      threshold,
    };
  } else {
    const trainLink = scorer.inputs.train!;
    const train = outputsOf(trainLink.nodeId)?.[trainLink.port] as EmbeddingsValue | undefined;
    if (!train) throw unsupported(scorerNodeId, `node "${trainLink.nodeId}" has no result: run the pipeline first`);
    const [rows, cols] = train.vectors.shape;
    const reference = (await train.vectors.data()) as Float32Array;
    files[REFERENCE_BIN] = float32Bytes(reference);
    const params = scorer.params as DetectorLatentParams;
    // Without a threshold node, the node's own normal radius r (a percentile of the training distances) decides.
    let threshold = thresholdFrom(scorer.id, planned.plan.order, outputsOf);
    if (!threshold) {
      const own = await latentDistances(train.vectors, train.vectors, params);
      threshold = { value: percentile(own.train, params.percentile), source: `normal radius r (${params.percentile}th percentile of the training distances)` };
    }
    spec = {
      ...base,
      model: { file: MODEL_JSON, inputShape: model.inputShape, codeLayer: 'code' },
      scorer: { type: 'latent-distance', typeVersion: scorer.definition.version, params: params as never, reference: { file: REFERENCE_BIN, rows, cols } },
      threshold,
    };
  }
  files[DETECTOR_FILE] = new TextEncoder().encode(`${JSON.stringify(spec, null, 2)}\n`);
  return files;
}

type DetectorLatentParams = Parameters<typeof latentDistances>[2] & { percentile: number };

type ResidualParams = { reduce: 'max' | 'mean' | 'topk'; topK: number; blurSigma: number };
const TRAIN_PERCENTILE = 95;
/** Training images scored per batch when choosing a default threshold. */
const TRAIN_BATCH = 64;

/** The residual-max kernel's computation, step for step: reconstruct, |x − x̂| averaged over channels, blur, reduce. */
async function residualScores(model: tf.LayersModel, images: tf.Tensor4D, params: ResidualParams): Promise<Float32Array> {
  const recon = predictInBatches(model, images, PREDICT_BATCH);
  const maps = tf.tidy(() => gaussianBlur(tf.mean(tf.abs(tf.sub(images, recon)), 3, true) as tf.Tensor4D, params.blurSigma));
  recon.dispose();
  const s = reduceMaps(maps, params.reduce, params.topK);
  maps.dispose();
  const out = Float32Array.from(await s.data());
  s.dispose();
  return out;
}

async function streamedResidualScores(model: tf.LayersModel, stream: ImageStream, params: ResidualParams): Promise<Float32Array> {
  const out = new Float32Array(stream.count);
  const signal = new AbortController().signal;
  for (let start = 0; start < stream.count; start += TRAIN_BATCH) {
    const batch = await stream.read(start, Math.min(TRAIN_BATCH, stream.count - start), signal);
    try {
      out.set(await residualScores(model, batch, params), start);
    } finally {
      batch.dispose();
    }
  }
  return out;
}

/** The image-set node whose images the AutoEncoder scores: preprocessing comes from its params. */
function imageSetFeeding(scorerNodeId: string, ae: PlannedNode, nodes: Map<string, PlannedNode>): PlannedNode {
  const link = ae.inputs.images;
  const source = link ? nodes.get(link.nodeId) : undefined;
  if (!source || source.definition.type !== 'image-set') {
    throw unsupported(scorerNodeId, `the AutoEncoder "${ae.id}" must score images straight from an image-set node (found ${source?.definition.type ?? 'nothing'}), so the detector knows the preprocessing`);
  }
  return source;
}

/** The threshold of a threshold node that evaluates this scorer, if the pipeline has one. */
function thresholdFrom(scorerId: string, order: PlannedNode[], outputsOf: Lookup): DetectorSpec['threshold'] {
  for (const n of order) {
    if (n.definition.type !== 'threshold' || n.inputs.scores?.nodeId !== scorerId) continue;
    const m = outputsOf(n.id)?.metrics as MetricsValue | undefined;
    if (m?.threshold && Number.isFinite(m.threshold.value)) return { value: m.threshold.value, source: `threshold node "${n.id}" (${m.threshold.method})` };
  }
  return null;
}

function float32Bytes(values: Float32Array): Uint8Array {
  const out = new Uint8Array(values.length * 4);
  const view = new DataView(out.buffer);
  values.forEach((v, i) => view.setFloat32(i * 4, v, true));
  return out;
}

function bytesToFloat32(bytes: Uint8Array): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(bytes.byteLength / 4);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}

/** model.save() into memory, written as a standard TF.js layers-model folder (model.json + one weights file). */
async function saveModel(model: tf.LayersModel, files: DetectorFiles): Promise<void> {
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const data = artifacts.weightData;
      const weights = Array.isArray(data) ? tf.io.concatenateArrayBuffers(data) : (data ?? new ArrayBuffer(0));
      const json = {
        format: 'layers-model',
        generatedBy: `TensorFlow.js tfjs-layers v${tf.version.tfjs}`,
        convertedBy: null,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: [WEIGHTS_BIN], weights: artifacts.weightSpecs ?? [] }],
      };
      files[MODEL_JSON] = new TextEncoder().encode(JSON.stringify(json));
      files['model/' + WEIGHTS_BIN] = new Uint8Array(weights);
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Loading and scoring

export type LoadedDetector = {
  spec: DetectorSpec;
  /** Scores [N] for images [N,size,size,C] in 0..1 (higher = more anomalous); creates no lasting tensors. */
  score(images: tf.Tensor4D): Promise<Float32Array>;
  dispose(): void;
};

const badBundle = (reason: string) =>
  new KizukiError('BAD_ARGUMENT', { reason: `not a usable detector: ${reason}` });

/** Load a detector from its files; `read` gets paths relative to the bundle root. */
export async function loadDetector(read: (relPath: string) => Promise<Uint8Array>): Promise<LoadedDetector> {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(await read(DETECTOR_FILE)));
  } catch (err) {
    throw badBundle(`${DETECTOR_FILE} could not be read as JSON (${(err as Error).message})`);
  }
  const parsed = parseDetectorSpec(json);
  if (!parsed.ok) throw badBundle(parsed.issues.join('; '));
  const spec = parsed.spec;

  let model: tf.LayersModel;
  const modelDir = spec.model.file.includes('/') ? spec.model.file.slice(0, spec.model.file.lastIndexOf('/') + 1) : '';
  try {
    const modelJson = JSON.parse(new TextDecoder().decode(await read(spec.model.file))) as {
      modelTopology: object;
      weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
    };
    const weightSpecs = modelJson.weightsManifest.flatMap((g) => g.weights);
    const parts: Uint8Array[] = [];
    for (const g of modelJson.weightsManifest) {
      for (const p of g.paths) {
        // Weight files live next to model.json: never read outside the detector folder.
        if (!/^[A-Za-z0-9_.-]+$/.test(p) || p === '..') throw new Error(`weights path "${p}" must be a file name next to model.json`);
        parts.push(await read(modelDir + p));
      }
    }
    const weightData = tf.io.concatenateArrayBuffers(parts.map((p) => p.slice().buffer));
    model = await tf.loadLayersModel({ load: async () => ({ modelTopology: modelJson.modelTopology, weightSpecs, weightData }) });
  } catch (err) {
    throw badBundle(`the model ${spec.model.file} could not be loaded (${(err as Error).message})`);
  }
  const inShape = model.inputs[0]!.shape.slice(1).join('×');
  if (inShape !== spec.model.inputShape.join('×')) {
    model.dispose();
    throw badBundle(`${spec.model.file} takes ${inShape} images but ${DETECTOR_FILE} says ${spec.model.inputShape.join('×')}`);
  }

  if (spec.scorer.type === 'residual-max') {
    const params = spec.scorer.params;
    return { spec, score: (images) => residualScores(model, images, params), dispose: () => model.dispose() };
  }

  const { reference, params } = spec.scorer;
  const bytes = await read(reference.file).catch((err: Error) => {
    model.dispose();
    throw badBundle(`${reference.file} could not be read (${err.message})`);
  });
  if (bytes.byteLength !== reference.rows * reference.cols * 4) {
    model.dispose();
    throw badBundle(`${reference.file} has ${bytes.byteLength} bytes, expected ${reference.rows}×${reference.cols} float32 = ${reference.rows * reference.cols * 4}`);
  }
  let encoder: tf.LayersModel;
  try {
    encoder = tf.model({ inputs: model.inputs, outputs: model.getLayer(spec.model.codeLayer!).output as tf.SymbolicTensor });
  } catch (err) {
    model.dispose();
    throw badBundle(`the model has no layer "${spec.model.codeLayer}" (${(err as Error).message})`);
  }
  const train = tf.tensor2d(bytesToFloat32(bytes), [reference.rows, reference.cols]);
  return {
    spec,
    async score(images) {
      const maps = predictInBatches(encoder, images, PREDICT_BATCH);
      const codes = tf.reshape(maps, [maps.shape[0], -1]) as tf.Tensor2D;
      maps.dispose();
      try {
        if (codes.shape[1] !== reference.cols) throw badBundle(`the encoder gives ${codes.shape[1]}-dimensional codes but reference.bin has ${reference.cols}`);
        const d = await latentDistances(train, codes, params);
        return Float32Array.from(d.images);
      } finally {
        codes.dispose();
      }
    },
    dispose: () => {
      train.dispose();
      model.dispose();
    },
  };
}

export function isSupportedScorer(type: string): type is SupportedScorer {
  return type in SUPPORTED_SCORERS;
}
