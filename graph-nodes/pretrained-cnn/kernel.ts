/**
 * Pretrained CNN: loads a TF.js LayersModel (or GraphModel) from model.json + weight shards — read through
 * ctx.io for local paths (Node files or the user's picked files in the browser), over http(s) otherwise — and
 * exposes the activations of chosen layers as a FeatureExtractor: images [N,H,W,C] in 0..1 → resized to the
 * network input [h,w,3] (grey repeated to RGB) → feature maps [N,h_i,w_i,c_i] per tap.
 * Default preset: MobileNetV2 (Sandler et al., CVPR 2018), ImageNet weights, taps block_3/6/13_expand_relu.
 */
import * as tf from '@tensorflow/tfjs';
import type { ParamsOf } from '../core/define-node';
import { KizukiError } from '../core/errors';
import { fitToInput } from '../core/image-fit';
import { defineKernel, throwIfAborted, type DataIO, type FeatureExtractorValue, type KernelContext } from '../core/kernel-types';
import { pretrainedCnnNode, pretrainedPresets } from './definition';

type Params = ParamsOf<typeof pretrainedCnnNode>;

/** Size assumed when a model's input has no fixed height/width. */
const DEFAULT_INPUT_SIZE = 224;

export const isUrl = (p: string) => /^https?:\/\//i.test(p.trim());

type ModelJson = {
  modelTopology?: unknown;
  format?: string;
  weightsManifest?: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
  [key: string]: unknown;
};

/** model.json (+ shards) read through DataIO, as the artifacts tf.loadLayersModel/loadGraphModel take. */
export async function readArtifacts(io: DataIO, jsonPath: string): Promise<tf.io.ModelArtifacts> {
  const json = JSON.parse(await io.readText(jsonPath)) as ModelJson;
  if (!json || typeof json !== 'object' || !json.modelTopology) throw new Error(`${jsonPath} has no "modelTopology": not a TF.js model.json`);
  const dir = io.dirname(jsonPath);
  const weightSpecs: tf.io.WeightsManifestEntry[] = [];
  const parts: Uint8Array[] = [];
  for (const group of json.weightsManifest ?? []) {
    weightSpecs.push(...group.weights);
    for (const p of group.paths) parts.push(await io.readBytes(io.join(dir, p)));
  }
  const weightData = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let offset = 0;
  for (const p of parts) {
    weightData.set(p, offset);
    offset += p.byteLength;
  }
  // Check the byte count here: tf.loadLayersModel would build (and leak) the model before noticing.
  const declared = weightSpecs.reduce((n, w) => n + w.shape.reduce((a, b) => a * b, 1) * (w.dtype === 'float32' || w.dtype === 'int32' ? 4 : 1), 0);
  if (weightSpecs.every((w) => !w.quantization && w.dtype !== 'string') && declared !== weightData.byteLength) {
    throw new Error(`the weight shards hold ${weightData.byteLength} bytes but model.json declares ${declared}; a shard is missing, truncated or from another model`);
  }
  const { weightsManifest: _manifest, ...rest } = json;
  return { ...(rest as tf.io.ModelArtifacts), weightSpecs, weightData: weightData.buffer };
}

/** The model.json of a path that names either the file itself or its folder. */
function modelJsonOf(path: string, io: DataIO, url: boolean): string {
  const p = path.trim().replace(/[/\\]+$/, '');
  if (/\.json$/i.test(p)) return p;
  return url ? `${p}/model.json` : io.join(p, 'model.json');
}

const isGraphModel = (a: tf.io.ModelArtifacts) =>
  a.format === 'graph-model' || Array.isArray((a.modelTopology as { node?: unknown } | undefined)?.node);

/** Up to `k` names spread over the list (so the message shows early, middle and late layers). */
function sample(names: string[], k: number): string[] {
  if (names.length <= k) return names;
  return Array.from({ length: k }, (_, i) => names[Math.round((i * (names.length - 1)) / (k - 1))]!);
}

function scaleInput(x: tf.Tensor4D, range: Params['inputRange']): tf.Tensor4D {
  if (range === '-1..1') return tf.sub(tf.mul(x, 2), 1);
  if (range === '0..255') return tf.mul(x, 255);
  return x;
}

type Net = {
  inputShape: [number, number, number];
  /** [h,w,c] of each tap for one input image. */
  tapShapes: number[][];
  /** Tap activations for an input already fitted and scaled. */
  run(x: tf.Tensor4D): tf.Tensor4D[];
  dispose(): void;
};

function loadFailed(ctx: KernelContext, path: string, reason: string, hint?: string) {
  const example = pretrainedPresets['mobilenet-v2-imagenet'].example;
  return new KizukiError('MODEL_LOAD_FAILED', {
    nodeId: ctx.nodeId,
    field: 'path',
    path: path.trim() === '' ? '(no path set)' : `"${path}"`,
    reason,
    hint:
      hint ??
      `Set "path" to a folder containing model.json and its .bin weight shards, such as ${example} ` +
        '(the MobileNetV2 shipped with the course), or to an http(s) URL of a model.json. Without a model, use an ' +
        'AutoEncoder\'s "Encoder" output as the feature extractor instead (template phantom-padim-ae).',
  });
}

function badTaps(ctx: KernelContext, unknown: string[], valid: string[], params: Params) {
  const preset = pretrainedPresets[params.preset].taps;
  const shown = [...new Set([...preset.filter((t) => valid.includes(t)), ...sample(valid, 12)])];
  return new KizukiError('INVALID_PARAM', {
    nodeId: ctx.nodeId,
    field: 'layers',
    reason:
      unknown.length > 0
        ? `names no feature-map layer ${unknown.map((u) => `"${u}"`).join(', ')} of this model; valid layers include ${shown.join(', ')} (${valid.length} in all)`
        : `is empty and a custom model has no default taps; choose layers such as ${shown.join(', ')} (${valid.length} in all)`,
  });
}

function layersNet(model: tf.LayersModel, params: Params, ctx: KernelContext): Net {
  if (model.inputs.length !== 1) throw new Error(`the model has ${model.inputs.length} inputs; a feature extractor needs exactly one image input`);
  const shape = model.inputs[0]!.shape;
  if (shape.length !== 4) throw new Error(`the model input has shape [${shape.join(',')}]; an image input [N,H,W,C] is needed`);
  const inputShape: [number, number, number] = [shape[1] ?? DEFAULT_INPUT_SIZE, shape[2] ?? DEFAULT_INPUT_SIZE, shape[3] ?? 3];
  const is4d = (l: tf.layers.Layer) => {
    const s = l.outputShape;
    return Array.isArray(s) && !Array.isArray(s[0]) && s.length === 4;
  };
  const valid = model.layers.filter(is4d).map((l) => l.name);
  const taps = params.layers.length > 0 ? params.layers : [...pretrainedPresets[params.preset].taps];
  const unknown = taps.filter((t) => !valid.includes(t));
  if (taps.length === 0 || unknown.length > 0) throw badTaps(ctx, unknown, valid, params);
  const tapModel = tf.model({ inputs: model.inputs, outputs: taps.map((t) => model.getLayer(t).output as tf.SymbolicTensor) });
  const tapShapes = taps.map((t) => (model.getLayer(t).outputShape as (number | null)[]).slice(1).map((v) => v ?? -1));
  return {
    inputShape,
    tapShapes,
    run: (x) => {
      const out = tapModel.predict(x, { batchSize: Math.max(1, x.shape[0]) });
      return (Array.isArray(out) ? out : [out]) as tf.Tensor4D[];
    },
    // The tap model shares the base model's layers; disposing the base model frees every weight once.
    dispose: () => model.dispose(),
  };
}

function graphNet(model: tf.GraphModel, artifacts: tf.io.ModelArtifacts, params: Params, ctx: KernelContext): Net {
  if (model.inputs.length !== 1) throw new Error(`the model has ${model.inputs.length} inputs; a feature extractor needs exactly one image input`);
  const shape = model.inputs[0]!.shape ?? [];
  if (shape.length !== 4) throw new Error(`the model input has shape [${shape.join(',')}]; an image input [N,H,W,C] is needed`);
  const dim = (v: number | undefined, fallback: number) => (v === undefined || v < 0 ? fallback : v);
  const inputShape: [number, number, number] = [dim(shape[1], DEFAULT_INPUT_SIZE), dim(shape[2], DEFAULT_INPUT_SIZE), dim(shape[3], 3)];
  const nodes = ((artifacts.modelTopology as { node?: { name: string; op: string }[] }).node ?? [])
    .filter((n) => n.op !== 'Const' && n.op !== 'Placeholder')
    .map((n) => n.name);
  const taps = params.layers.length > 0 ? params.layers : [...pretrainedPresets[params.preset].taps];
  const unknown = taps.filter((t) => !nodes.includes(t));
  if (taps.length === 0 || unknown.length > 0) throw badTaps(ctx, unknown, nodes, params);
  const run = (x: tf.Tensor4D) => {
    const out = model.execute(x, taps);
    return (Array.isArray(out) ? out : [out]) as tf.Tensor4D[];
  };
  // Check once that every tap is a feature map [N,h,w,c].
  const probe = tf.tidy(() => run(tf.zeros([1, ...inputShape]) as tf.Tensor4D).map((t) => t.shape));
  const notMaps = taps.filter((_, i) => probe[i]?.length !== 4);
  if (notMaps.length > 0) throw badTaps(ctx, notMaps, nodes, params);
  return { inputShape, tapShapes: probe.map((s) => s.slice(1)), run, dispose: () => model.dispose() };
}

async function loadNet(params: Params, ctx: KernelContext): Promise<Net> {
  const path = params.path.trim();
  if (path === '') throw loadFailed(ctx, path, 'no model path is set.');
  const url = isUrl(path);
  const jsonPath = modelJsonOf(path, ctx.io, url);
  let artifacts: tf.io.ModelArtifacts;
  try {
    ctx.progress({ fraction: 0.05, message: `reading ${jsonPath}` });
    if (url) artifacts = await tf.io.http(jsonPath).load!();
    else {
      if (!(await ctx.io.exists(jsonPath))) throw new Error(`${jsonPath} does not exist`);
      artifacts = await readArtifacts(ctx.io, jsonPath);
    }
  } catch (err) {
    const reason = err instanceof KizukiError && err.info.code === 'FILE_NOT_FOUND' ? err.message.replace(/^Node "\?": /, '') : (err as Error).message;
    throw loadFailed(ctx, path, reason.endsWith('.') ? reason : `${reason}.`);
  }
  throwIfAborted(ctx.signal);
  ctx.progress({ fraction: 0.6, message: 'building the network' });
  let net: Net | null = null;
  let dispose = () => {};
  try {
    if (isGraphModel(artifacts)) {
      const model = await tf.loadGraphModel({ load: async () => artifacts });
      dispose = () => model.dispose();
      net = graphNet(model, artifacts, params, ctx);
    } else {
      const model = await tf.loadLayersModel({ load: async () => artifacts });
      dispose = () => model.dispose();
      net = layersNet(model, params, ctx);
    }
    return net;
  } catch (err) {
    dispose();
    if (err instanceof KizukiError) throw err;
    throw loadFailed(ctx, path, `${(err as Error).message}.`, 'Check that model.json and all its weight shards come from the same TF.js export (tensorflowjs_converter, or model.save()).');
  }
}

/** Tap shapes of the extractors this kernel made, for the preview (no forward pass needed). */
const tapShapesOf = new WeakMap<FeatureExtractorValue, number[][]>();

export const pretrainedCnnKernel = defineKernel(pretrainedCnnNode, {
  async run(_inputs, params, ctx) {
    const bytesBefore = tf.memory().numBytes;
    const net = await loadNet(params, ctx);
    const bytes = tf.memory().numBytes - bytesBefore;
    if (ctx.signal.aborted) net.dispose();
    throwIfAborted(ctx.signal);
    const taps = params.layers.length > 0 ? params.layers : [...pretrainedPresets[params.preset].taps];
    let disposed = false;
    const extractor: FeatureExtractorValue = {
      kind: 'FeatureExtractor',
      name: `${pretrainedPresets[params.preset].title} @ ${taps.join(', ')}`,
      inputShape: net.inputShape,
      bytes,
      extract: (images) => tf.tidy(() => net.run(scaleInput(fitToInput(images, net.inputShape), params.inputRange))),
      dispose: () => {
        if (disposed) return;
        disposed = true;
        net.dispose();
      },
    };
    tapShapesOf.set(extractor, net.tapShapes);
    ctx.progress({ fraction: 1 });
    return { extractor };
  },
  preview({ extractor }) {
    const [h, w, c] = extractor.inputShape;
    const shapes = tapShapesOf.get(extractor) ?? [];
    return [{ kind: 'text', lines: [extractor.name, `input ${h}×${w}×${c}`, ...shapes.map((s, i) => `tap ${i + 1}: ${s.join('×')}`)] }];
  },
  async fingerprint(params, io) {
    const path = params.path.trim();
    if (path === '' || isUrl(path)) return '';
    // The shards live next to model.json, so fingerprint the folder either way.
    const folder = /\.json$/i.test(path) ? io.dirname(path) : path;
    try {
      return await io.fingerprint(folder);
    } catch {
      return 'unreadable';
    }
  },
});
