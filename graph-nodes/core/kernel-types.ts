/**
 * Kernel side of a node type: the runtime values that travel on ports, the context a kernel runs in,
 * and `defineKernel`, which types a kernel's inputs/params/outputs from its definition.
 * Ownership rule: a kernel never disposes its inputs; it returns fresh values that the engine's cache owns
 * and disposes (via `disposeValue`) on eviction.
 */
import type * as tf from '@tensorflow/tfjs';
import type { z } from 'zod';
import type { AnyNodeDefinition, NodeDefinition, PortSpec } from './define-node';
import type { NodePreview, ThresholdDecision } from './preview';

/** Per-image labels: 0 normal, 1 anomalous, -1 unknown. */
export type Labels = Int8Array;

export type ImageSetSummary = {
  source: string;
  loaded: number;
  /** Files that could not be read or decoded: never fatal unless nothing loads. */
  skipped: { name: string; reason: string }[];
  perClass: Record<string, number>;
};

export type ImageSetValue = {
  kind: 'ImageSet';
  /** float32 [N,H,W,C] in 0..1. */
  images: tf.Tensor4D;
  labels: Labels;
  names: string[];
  /** float32 [N,H,W,1] in {0,1} where pixel masks are known, else null. */
  masks: tf.Tensor4D | null;
  summary: ImageSetSummary;
};

/** Pixels of some images of a set, read again from where they came from (files decoded, phantoms regenerated). */
export type ImageSource = {
  /** float32 pixels of `indices` (in that order), [k,H,W,C] and [k,H,W,1] masks when the set has masks. */
  read(indices: number[], signal: AbortSignal): Promise<{ images: Float32Array; masks: Float32Array | null }>;
};

/**
 * An image set that is not held in memory: only its list (names, labels) and a way to read pixels back.
 * The image-set node makes one when every consumer streams it (an input with `streamed: true`, e.g. PaDiM's
 * training images), so fitting on 5,000 images needs no more memory than on 500. Anything else that needs the
 * set whole gets it materialised by the engine first (`materializeImageSet`).
 */
export type LazyImageSetValue = Omit<ImageSetValue, 'images' | 'masks'> & {
  images: null;
  masks: null;
  /** [H,W,C] of every image. */
  imageShape: [number, number, number];
  hasMasks: boolean;
  source: ImageSource;
};

/** An image set as a streaming input sees it: resident or lazy, read a batch at a time. */
export type ImageStream = {
  kind: 'ImageStream';
  count: number;
  imageShape: [number, number, number];
  labels: Labels;
  names: string[];
  hasMasks: boolean;
  summary: ImageSetSummary;
  /** Images [size,H,W,C] from `start` (the caller disposes them). */
  read(start: number, size: number, signal: AbortSignal): Promise<tf.Tensor4D>;
};

export type ScoresValue = {
  kind: 'Scores';
  /** Display name of the scorer, e.g. "residual max". */
  scorer: string;
  scores: Float32Array;
  labels: Labels;
  names: string[];
};

export type EmbeddingsValue = {
  kind: 'Embeddings';
  /** float32 [N,D]. */
  vectors: tf.Tensor2D;
  labels: Labels;
  names: string[];
};

export type ModelValue = {
  kind: 'Model';
  name: string;
  model: tf.LayersModel;
  inputShape: [number, number, number];
  /** Mean training loss per epoch, if the node trained it. */
  losses?: number[];
};

export type FeatureExtractorValue = {
  kind: 'FeatureExtractor';
  name: string;
  inputShape: [number, number, number];
  /** Feature maps [N,h,w,c] per tap; the caller disposes them. */
  extract(images: tf.Tensor4D): tf.Tensor4D[];
  /** The underlying trainable network, when there is one (lets a node initialise its own layers from it). */
  model?: tf.LayersModel;
  /** Releases weights this extractor owns (no-op when it shares them with a Model on the same node). */
  dispose(): void;
  /** Bytes of weights this extractor owns, for the cache's memory bound (0 or absent when shared). */
  bytes?: number;
};

export type HeatmapsValue = {
  kind: 'Heatmaps';
  /** float32 [N,H,W,1]. */
  maps: tf.Tensor4D;
  labels: Labels;
  names: string[];
  masks: tf.Tensor4D | null;
  /** Name of the method that made the maps, e.g. "padim" (pixel-level evaluators name their metrics after it). */
  scorer?: string;
};

export type MetricsValue = {
  kind: 'Metrics';
  scorer: string;
  auroc: number;
  ap: number;
  nNormal: number;
  nAnomalous: number;
  roc: { fpr: number[]; tpr: number[]; thresholds: number[] };
  /** Pixel-level results (pixel-roc node): auroc/ap above are then per pixel and nNormal/nAnomalous count pixels. */
  pixel?: { auroc: number; pro: number; proFprLimit: number; pixelsUsed: number; pixelsTotal: number; images: number; regions: number };
  /** Decision at one threshold (score ≥ value ⇒ anomalous), from the threshold node; rates are NaN when their denominator is 0. */
  threshold?: ThresholdDecision;
};

export type PortValues = {
  ImageSet: ImageSetValue;
  Scores: ScoresValue;
  Embeddings: EmbeddingsValue;
  Model: ModelValue;
  FeatureExtractor: FeatureExtractorValue;
  Heatmaps: HeatmapsValue;
  Metrics: MetricsValue;
};
export type PortValue = PortValues[keyof PortValues];

/** File access for data nodes: Node's fs in the CLI, the user's picked files in the browser. */
export type DataIO = {
  readBytes(path: string): Promise<Uint8Array>;
  readText(path: string): Promise<string>;
  /** Entries of a folder (names only, no path), sorted. Throws KizukiError FILE_NOT_FOUND if missing. */
  list(dir: string): Promise<{ name: string; isDir: boolean }[]>;
  exists(path: string): Promise<boolean>;
  isDir(path: string): Promise<boolean>;
  /** Cheap content fingerprint for cache keys (size + mtime, or the file set). */
  fingerprint(path: string): Promise<string>;
  join(...parts: string[]): string;
  dirname(path: string): string;
};

export type ProgressInfo = { fraction: number; message?: string; epoch?: number; epochs?: number; loss?: number };

export type KernelContext = {
  nodeId: string;
  signal: AbortSignal;
  progress(info: ProgressInfo): void;
  /** Non-fatal notice shown on the node (e.g. "3 files skipped"). */
  warn(message: string): void;
  /** Previews emitted while running (e.g. a live loss curve). */
  livePreview(preview: NodePreview): void;
  io: DataIO;
  /** Name of the active TF.js backend. */
  backend: string;
  /** Output ports whose every consumer in this run streams them: an image set there may be returned lazy. */
  streamedOutputs?: ReadonlySet<string>;
};

type InputValue<S extends PortSpec> = S['streamed'] extends true ? ImageStream : PortValues[S['type']];
type ValueOfPort<S extends PortSpec> = S['optional'] extends true ? InputValue<S> | undefined : InputValue<S>;
export type InputsOf<D extends AnyNodeDefinition> = { [K in keyof D['inputs']]: ValueOfPort<D['inputs'][K]> };
/** What a kernel returns on a port: on a `lazy` image-set port possibly a LazyImageSetValue. */
type OutputValue<S extends PortSpec> = S['lazy'] extends true ? PortValues[S['type']] | LazyImageSetValue : PortValues[S['type']];
export type OutputsOf<D extends AnyNodeDefinition> = { [K in keyof D['outputs']]: OutputValue<D['outputs'][K]> };
/** A value as the engine's cache holds it. */
export type StoredValue = PortValue | LazyImageSetValue;

export type Kernel<D extends AnyNodeDefinition = AnyNodeDefinition> = {
  definition: D;
  run(inputs: InputsOf<D>, params: z.infer<D['params']>, ctx: KernelContext): Promise<OutputsOf<D>>;
  /** Small plain-data previews of the outputs for the editor. */
  preview?(outputs: OutputsOf<D>, params: z.infer<D['params']>): NodePreview | Promise<NodePreview>;
  /** Extra cache-key material that the params alone do not capture (e.g. file fingerprints). */
  fingerprint?(params: z.infer<D['params']>, io: DataIO): Promise<string>;
};

export function defineKernel<
  I extends Record<string, PortSpec>,
  O extends Record<string, PortSpec>,
  P extends z.ZodObject,
>(definition: NodeDefinition<I, O, P>, impl: Omit<Kernel<NodeDefinition<I, O, P>>, 'definition'>): Kernel<NodeDefinition<I, O, P>> {
  return { definition, ...impl };
}

/** Abort check for long loops: throws an AbortError when the run was stopped. */
export function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) {
    const err = new Error('The run was stopped.');
    err.name = 'AbortError';
    throw err;
  }
}
