/**
 * The trained-detector bundle: a folder (or a zip of it) that `kizuki score` applies to new images headless.
 *   detector.json        this schema: preprocessing, scorer type + params, threshold, where the files are
 *   model/model.json     the trained TF.js LayersModel (topology + weights manifest), as model.save() writes it
 *   model/weights.bin    its weights
 *   reference.bin        latent-distance only: the normal training codes, float32 little-endian [rows, cols]
 * Pure (zod, no tfjs) so the app and the CLI can validate a bundle before loading anything.
 */
import { z } from 'zod';
import { latentDistanceNode } from '../../graph-nodes/latent-distance/definition';
import { residualMaxNode } from '../../graph-nodes/residual-max/definition';

export const DETECTOR_FORMAT = 'kizuki.detector' as const;
export const DETECTOR_VERSION = 1 as const;
export const DETECTOR_FILE = 'detector.json';

/** Scorer node types a detector can carry, with what each needs upstream (shown in "unsupported" errors). */
export const SUPPORTED_SCORERS = {
  'residual-max': 'residual-max fed by an AutoEncoder\'s reconstructions of an image set',
  'latent-distance': 'latent-distance fed by an AutoEncoder\'s latent codes of an image set',
} as const;
export type SupportedScorer = keyof typeof SUPPORTED_SCORERS;

const relativeFile = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/, 'use a relative path inside the detector folder')
  .refine((p) => !p.split('/').includes('..'), 'must not leave the detector folder');

const preprocessingSchema = z.object({
  /** Images are area-resized to size × size, like the image-set node does. */
  size: z.number().int().min(16).max(512),
  grayscale: z.boolean(),
  /** Pixel values: 8-bit ÷ 255, 16-bit ÷ 65535 (workers/engine/image-decode.ts). */
  range: z.literal('0..1'),
  resize: z.literal('area'),
});

const thresholdSchema = z.object({
  value: z.number().refine(Number.isFinite, 'must be a finite number'),
  /** Where it came from, e.g. 'threshold node "thr" (youden)'. */
  source: z.string().max(300),
});

const scorerSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('residual-max'),
    typeVersion: z.number().int().positive(),
    params: residualMaxNode.params,
  }),
  z.object({
    type: z.literal('latent-distance'),
    typeVersion: z.number().int().positive(),
    params: latentDistanceNode.params,
    reference: z.object({ file: relativeFile, rows: z.number().int().positive(), cols: z.number().int().positive() }),
  }),
]);

export const detectorSchema = z.object({
  format: z.literal(DETECTOR_FORMAT),
  version: z.literal(DETECTOR_VERSION),
  createdAt: z.string(),
  /** The pipeline and node the detector was taken from (for the record; not needed to score). */
  source: z.object({ pipeline: z.string().max(200), scorerNode: z.string().max(64), modelNode: z.string().max(64) }),
  /** Display name of the score, e.g. "residual max"; higher = more anomalous. */
  scoreName: z.string().max(200),
  direction: z.literal('higher-is-anomalous'),
  preprocessing: preprocessingSchema,
  model: z.object({
    file: relativeFile,
    inputShape: z.tuple([z.number().int().positive(), z.number().int().positive(), z.number().int().positive()]),
    /** Layer whose output is the latent code (latent-distance scores codes, not reconstructions). */
    codeLayer: z.string().max(100).optional(),
  }),
  scorer: scorerSchema,
  threshold: thresholdSchema.nullable(),
});

export type DetectorSpec = z.infer<typeof detectorSchema>;

/** Validate detector.json; the error lists each bad field by its path, e.g. `detector.json: scorer.params.reduce: …`. */
export function parseDetectorSpec(json: unknown, fileName = DETECTOR_FILE): { ok: true; spec: DetectorSpec } | { ok: false; issues: string[] } {
  const result = detectorSchema.safeParse(json);
  if (result.success) {
    const spec = result.data;
    const [h, w] = spec.model.inputShape;
    const channels = spec.preprocessing.grayscale ? 1 : 3;
    const issues: string[] = [];
    if (h !== spec.preprocessing.size || w !== spec.preprocessing.size || spec.model.inputShape[2] !== channels) {
      issues.push(`${fileName}: model.inputShape ${spec.model.inputShape.join('×')} does not match preprocessing (${spec.preprocessing.size}×${spec.preprocessing.size}×${channels})`);
    }
    if (spec.scorer.type === 'latent-distance' && !spec.model.codeLayer) issues.push(`${fileName}: model.codeLayer is required for a latent-distance scorer`);
    return issues.length > 0 ? { ok: false, issues } : { ok: true, spec };
  }
  return { ok: false, issues: result.error.issues.map((i) => `${fileName}: ${i.path.map(String).join('.') || '(document)'}: ${i.message}`) };
}
