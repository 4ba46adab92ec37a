/**
 * Kernel and engine sentences (progress messages, node warnings, data-manifest lines, the backend's reason) are
 * English on the wire and re-worded for the editor by runMessageText (graph-nodes/i18n/ja-messages.ts).
 * - every ctx.warn / progress message in the sources has a sample here (a new one fails until it is added);
 * - every sample comes out Japanese, with no English words left besides the variables and names (AUROC, PNG…);
 * - real kernels' warnings (roc, threshold, histogram, compare) translate, so a changed wording is caught.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareKernel } from '../../graph-nodes/compare/kernel';
import { compareNode } from '../../graph-nodes/compare/definition';
import type { ScoresValue } from '../../graph-nodes/core/kernel-types';
import { describeManifest } from '../../graph-nodes/core/data-manifest';
import { histogramNode } from '../../graph-nodes/histogram/definition';
import { histogramKernel } from '../../graph-nodes/histogram/kernel';
import { runMessageText } from '../../graph-nodes/i18n/node-text';
import { rocNode } from '../../graph-nodes/roc/definition';
import { rocKernel } from '../../graph-nodes/roc/kernel';
import { thresholdNode } from '../../graph-nodes/threshold/definition';
import { thresholdKernel } from '../../graph-nodes/threshold/kernel';
import { testContext } from './helpers/context';

/** Names that stay as they are in Japanese text. */
const NAMES = new Set(['AUROC', 'AP', 'PRO', 'ROC', 'FPR', 'TP', 'FN', 'FP', 'TN', 'NaN', 'PNG', 'JPEG', 'DICOM', 'RGB', 'maxPixels', 'direction', 'kizuki']);
const hasJapanese = (s: string) => /[\u3040-\u30ff\u4e00-\u9fff]/.test(s);

/** English words left in `ja` once the sample's own variable values (`keep`) are taken out. */
function englishLeft(ja: string, keep: string[] = []): string[] {
  let rest = ja;
  for (const k of keep) rest = rest.split(k).join(' ');
  return (rest.match(/[A-Za-z]{2,}/g) ?? []).filter((w) => !NAMES.has(w));
}

function expectJapanese(en: string, keep: string[] = []) {
  const ja = runMessageText(en, 'ja');
  expect(ja, en).not.toBe(en);
  expect(hasJapanese(ja), ja).toBe(true);
  expect(englishLeft(ja, keep), `${en}\n→ ${ja}`).toEqual([]);
  expect(runMessageText(en, 'en')).toBe(en);
}

type Sample = { en: string; keep?: string[] };

/** Per source file: one sample per ctx.warn call and per progress message, in the kernels' exact wording. */
const samples: Record<string, { warn: Sample[]; progress: Sample[] }> = {
  'graph-nodes/synthetic-anomaly/kernel.ts': {
    warn: [
      { en: '1 input image is labelled anomalous and left out: this node expects normal images' },
      { en: '3 unlabelled input images were treated as normal' },
      { en: '2 mirrored images got a whole-image mask: 00017 (x); 00018 (y)', keep: ['00017 (x); 00018 (y)'] },
    ],
    progress: [{ en: '12 / 40 anomalies' }],
  },
  'graph-nodes/pretrained-cnn/kernel.ts': {
    warn: [],
    progress: [{ en: 'reading models/tiny-cnn/model.json', keep: ['models/tiny-cnn/model.json'] }, { en: 'building the network' }],
  },
  'graph-nodes/deep-svdd/model.ts': {
    warn: [
      { en: '"ae-1" exposes no trainable network; φ starts from random weights.', keep: ['ae-1'] },
      { en: 'The conv kernels of "ae-1" do not match φ (use the same channels and kernel size 3); φ starts from random weights.', keep: ['ae-1'] },
    ],
    progress: [],
  },
  'graph-nodes/latent-distance/kernel.ts': {
    warn: [
      { en: 'Mahalanobis distance needs at least 2 training codes; with 1 it is the Euclidean distance scaled by the ridge ε.' },
      { en: 'The covariance of the training codes was nearly singular: the ridge ε was raised from 0.000001 to 1.0e-3.' },
    ],
    progress: [],
  },
  'graph-nodes/histogram/kernel.ts': {
    warn: [{ en: '4 scores are NaN or infinite and are left out of the histogram.' }, { en: 'Log scale needs scores > 0, but 7 are ≤ 0: showing a linear histogram instead.' }],
    progress: [],
  },
  'graph-nodes/augment/kernel.ts': { warn: [], progress: [{ en: '5 / 120 images' }] },
  'graph-nodes/image-set/kernel.ts': {
    warn: [
      { en: '3 files skipped (NORMAL/01.png: not a PNG, JPEG or DICOM file (unknown file signature), …)', keep: ['NORMAL/01.png'] },
    ],
    progress: [{ en: '17 / 624 files' }],
  },
  'graph-nodes/pixel-roc/kernel.ts': {
    warn: [
      { en: 'the images have no pixel masks (only image labels): pixel AUROC and PRO were skipped' },
      { en: '4,194,304 pixels: AUROC/AP use a fixed random sample of 1,000,000 (maxPixels = 1,000,000)' },
    ],
    progress: [],
  },
  'graph-nodes/compare/kernel.ts': {
    warn: [
      { en: 'Scorer b names its images differently from scorer a; check that they scored the same images.' },
      { en: '2 unlabelled images left out of the ROC curves' },
      { en: 'ae-score: AUROC 0.312 is below 0.5 — this score ranks normal images as more anomalous.', keep: ['ae-score'] },
    ],
    progress: [],
  },
  'graph-nodes/image-features/kernel.ts': {
    warn: [{ en: 'The reconstructions name their images differently from the images input: check that they are reconstructions of these images.' }],
    progress: [],
  },
  'graph-nodes/threshold/kernel.ts': {
    warn: [
      { en: '5 unlabelled images are not in the confusion matrix (2 of them are above the threshold).' },
      { en: 'AUROC 0.420 is below 0.5: this score ranks normal images as more anomalous.' },
      { en: 'The youden threshold was chosen with these labels, so its rates are optimistic for these images; reuse it on new images to measure them fairly.', keep: ['youden'] },
      { en: 'Only normal images are labelled: AUROC and AP need both classes; specificity (1 − false-alarm rate) is still measured.' },
    ],
    progress: [],
  },
  'graph-nodes/roc/kernel.ts': {
    warn: [
      { en: '6 unlabelled images left out of the ROC' },
      {
        en: 'AUROC 0.250 is below 0.5: this score ranks normal images as more anomalous. Setting direction = lower-is-anomalous would give 0.750 — but only trust that if the direction is chosen without the test labels.',
        keep: ['lower-is-anomalous'],
      },
    ],
    progress: [],
  },
  'graph-nodes/padim/kernel.ts': {
    warn: [
      { en: 'd = 200 but the extractor gives only 96 channels: using all 96' },
      { en: 'only 20 training images for d = 96 channels: the covariances are singular and rest on ε = 0.01; use more images or a smaller d', keep: [' d '] },
      { en: '12 of 784 patch covariances were singular with ε = 0.01; ε was raised up to 0.1 there' },
    ],
    progress: [{ en: 'fitting: 64/200 normal images' }, { en: 'inverting covariances' }, { en: 'scoring: 32/100 images' }],
  },
  'graph-nodes/deep-sad/kernel.ts': {
    warn: [
      { en: '2 training images are labelled anomalous; they are treated as unlabelled. Connect them to "Labelled anomalies" instead.' },
      { en: '1 of the labelled anomalies are labelled normal; they are used as anomalies anyway.' },
    ],
    progress: [],
  },
  'workers/engine/run.ts': { warn: [], progress: [{ en: 'loading 624 images from train', keep: ['train'] }] },
};

/** Engine and core sentences that are not ctx.warn / progress calls. */
const otherSamples: Sample[] = [
  // workers/engine/backend.ts: why this backend
  { en: 'requested (cpu)', keep: ['cpu'] },
  { en: 'first available of webgpu → webgl → cpu', keep: ['webgpu', 'webgl', 'cpu'] },
  { en: 'webgpu, webgl unavailable', keep: ['webgpu', 'webgl'] },
  { en: 'webgpu unavailable (no adapter); first available of webgl → cpu', keep: ['webgpu', 'webgl', 'cpu', 'no adapter'] },
  // graph-nodes/core/data-manifest.ts: comparison lines
  { en: '"train" was run on 624 files (hash 3fa2c1d0); it has not run on your data yet', keep: ['train', '3fa2c1d0'] },
  { en: '"train" was run on 624 files (hash 3fa2c1d0); your data matches', keep: ['train', '3fa2c1d0'] },
  { en: '"train" was run on 1,024 files (hash 3fa2c1d0); your data differs: 1,020 files, hash 99ab00ff (4 file names new, 8 missing)', keep: ['train', '3fa2c1d0', '99ab00ff'] },
  { en: '"train" was run on 624 files (hash 3fa2c1d0); your data differs: 624 files, hash 99ab00ff (same file names, different content or params)', keep: ['train', '3fa2c1d0', '99ab00ff'] },
  // image decoder reasons inside "files skipped"
  { en: '1 file skipped (NORMAL/01.png: file not found)', keep: ['NORMAL/01.png'] },
  { en: '2 files skipped (a.png: truncated PNG: header incomplete, …)', keep: ['a.png'] },
  { en: '1 file skipped (b.png: image too large (9000×9000 pixels))', keep: ['b.png'] },
];

/** Text lines of kernels' previews (the summaries under a node). */
const previewSamples: Sample[] = [
  // image-set
  { en: '600 normal, 24 anomalous, 3 unlabelled' },
  { en: '627 images, 64×64, grey, with pixel masks' },
  { en: 'classes: NORMAL 600, PNEUMONIA 24', keep: ['NORMAL', 'PNEUMONIA'] },
  { en: 'formats: 600 png, 27 dcm', keep: ['png', 'dcm'] },
  { en: 'source sizes: 512–1024 × 480–1024' },
  { en: '2 multi-frame DICOM files: first frame used' },
  { en: '1 skipped: x.png (file not found)', keep: ['x.png (file not found)'] },
  // synthetic-anomaly, pretrained-cnn, deep-svdd / deep-sad
  { en: '40 normal, 40 synthetic anomalies (50%)' },
  { en: 'mirror 10, invert 3, nodule 12, patch 7, cutpaste 8' },
  { en: 'latent distance (r = 95th percentile of train)', keep: ['latent distance'] },
  { en: 'Embeddings projected to 2-D (PCA of training embeddings around c); circle = radius R', keep: ['PCA'] },
  { en: 'Embeddings projected to 2-D (PCA of training embeddings around c); circle = (1−ν)-quantile of training distances, ν = 0.1', keep: ['PCA'] },
  { en: 'input 64×64×1' },
  { en: 'tap 2: 16×16×32' },
  { en: 'objective: soft-boundary', keep: ['soft-boundary'] },
  { en: 'radius R: 0.3120 (squared 0.09734)' },
  { en: '(1−ν)-quantile of training distances, ν = 0.1: 0.3120 (squared 0.09734)' },
  { en: 'conv kernels initialised from the pretrained network: 3' },
  { en: 'random initialisation' },
  // latent-distance
  { en: '120 images scored' },
  { en: 'r = 1.234 (95th percentile of 200 training distances)' },
  { en: 'n inside r: 95 of 100 normal, 3 of 20 anomalous' },
  { en: 'Euclidean distance to the mean of 200 training codes (16 dimensions)' },
  { en: 'Mahalanobis, Ledoit-Wolf shrinkage ρ = 0.120, ridge ε = 1.0e-6 (16 dimensions, 200 training codes, cholesky solve)', keep: ['Ledoit-Wolf', 'cholesky'] },
  // split, histogram, augment
  { en: 'a: 80 images (60 NORMAL, 20 PNEUMONIA)', keep: ['NORMAL', 'PNEUMONIA'] },
  { en: 'b = 0.2 of each class, seed 1' },
  { en: '40 anomalous: median 0.4100, range 0.1000 – 0.9000' },
  { en: '10 images → 40 (3 copies each + the original)' },
  { en: '10 images → 10 (1 copy each)' },
  { en: 'pixel masks follow the flip, rotation and crop' },
  { en: 'no pixel masks' },
  // pixel-roc, image-features, threshold
  { en: 'No pixel masks on these images: nothing to evaluate per pixel.' },
  { en: 'Pixel AUROC 0.912, AP 0.400 (1,000 normal, 200 anomalous pixels, sampled from 4,096)' },
  { en: 'PRO 0.731: mean overlap with each of 12 anomalous regions, averaged over FPR 0…0.3' },
  { en: 'Mean log feature per class (normal n = 10, anomalous n = 5):' },
  { en: 'Note: mean/std/sharpness also reflect acquisition and compression, which can differ between sources of normal and abnormal images.', keep: ['mean/std/sharpness'] },
  { en: 'threshold 0.5000 (youden): score ≥ threshold ⇒ anomalous', keep: ['youden'] },
  { en: 'sensitivity 80.0 %, specificity 90.0 %, precision —, F1 0.774' },
  { en: 'AUROC — (one class labelled)' },
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) return sourceFiles(p);
    return p.endsWith('.ts') && !p.endsWith('.test.ts') ? [p] : [];
  });
}

describe('run messages: every kernel sentence has a Japanese wording', () => {
  const root = path.resolve(__dirname, '../..');
  const files = [...sourceFiles(path.join(root, 'graph-nodes')), path.join(root, 'workers/engine/run.ts')];

  it('each ctx.warn call and progress message in the sources has a sample here', () => {
    const found: Record<string, { warn: number; progress: number }> = {};
    for (const file of files) {
      const src = readFileSync(file, 'utf8');
      const warn = src.match(/ctx\.warn\(/g)?.length ?? 0;
      const progress = src.match(/progress[(:]\s*\{[^}]*message:/g)?.length ?? 0;
      if (warn + progress > 0) found[path.relative(root, file).split(path.sep).join('/')] = { warn, progress };
    }
    const listed = Object.fromEntries(Object.entries(samples).map(([f, s]) => [f, { warn: s.warn.length, progress: s.progress.length }]));
    expect(listed).toEqual(found);
  });

  for (const [file, s] of Object.entries(samples)) {
    it(`${file}: warnings and progress read Japanese`, () => {
      for (const { en, keep } of [...s.warn, ...s.progress]) expectJapanese(en, keep);
    });
  }

  it('backend reasons, data-manifest lines and decoder reasons read Japanese', () => {
    for (const { en, keep } of otherSamples) expectJapanese(en, keep);
    const manifest = describeManifest({
      imageSets: [{ nodeId: 'train', source: 'xray', count: 624, perClass: { NORMAL: 600, PNEUMONIA: 24 }, contentHash: 'ab12', skipped: [{ name: 'x', reason: 'y' }] }],
    } as never);
    expectJapanese(manifest[0]!, ['train', 'xray', 'NORMAL', 'PNEUMONIA', 'ab12']);
  });

  it('preview text lines read Japanese', () => {
    for (const { en, keep } of previewSamples) expectJapanese(en, keep);
  });

  it('an unknown sentence stays as it came', () => {
    expect(runMessageText('something new from a kernel', 'ja')).toBe('something new from a kernel');
  });
});

const scores = (values: number[], labels: number[], scorer = 'score'): ScoresValue => ({
  kind: 'Scores',
  scorer,
  scores: Float32Array.from(values),
  labels: Int8Array.from(labels),
  names: values.map((_, i) => `i${i}`),
});

describe('run messages: what real kernels warn translates', () => {
  const allJapanese = (warnings: string[], keep: string[] = []) => {
    expect(warnings.length).toBeGreaterThan(0);
    for (const w of warnings) expectJapanese(w, keep);
  };

  it('roc: unlabelled images, AUROC below 0.5 with the direction hint', async () => {
    const { ctx, warnings } = testContext();
    await rocKernel.run({ scores: scores([4, 3, 2, 1, 5], [0, 0, 1, 1, -1]) }, rocNode.params.parse({}), ctx);
    expect(warnings).toHaveLength(2);
    allJapanese(warnings, ['lower-is-anomalous']);
  });

  it('threshold: unlabelled, below 0.5, optimistic youden, only normals', async () => {
    const a = testContext();
    await thresholdKernel.run({ scores: scores([4, 3, 2, 1, 5], [0, 0, 1, 1, -1]) }, thresholdNode.params.parse({ method: 'youden' }), a.ctx);
    expect(a.warnings).toHaveLength(3);
    allJapanese(a.warnings, ['youden']);
    const b = testContext();
    await thresholdKernel.run({ scores: scores([1, 2, 3], [0, 0, 0]) }, thresholdNode.params.parse({}), b.ctx);
    allJapanese(b.warnings);
  });

  it('histogram: NaN scores and a log scale that cannot be used', async () => {
    const { ctx, warnings } = testContext();
    await histogramKernel.run({ scores: scores([-1, 1, 2, NaN], [0, 1, 1, 0]) }, histogramNode.params.parse({ logScale: true }), ctx);
    expect(warnings).toHaveLength(2);
    allJapanese(warnings);
  });

  it('histogram and threshold previews: every text line with English words translates', async () => {
    const lines: string[] = [];
    const texts = (previews: unknown[]) => {
      for (const p of previews as { kind: string; lines?: string[] }[]) if (p.kind === 'text') lines.push(...p.lines!);
    };
    const s = scores([0, 1, 2, 3, 10], [0, 0, 1, 1, -1]);
    const h = await histogramKernel.run({ scores: s }, histogramNode.params.parse({ bins: 5 }), testContext().ctx);
    texts(await histogramKernel.preview!(h, histogramNode.params.parse({ bins: 5 })));
    const tp = thresholdNode.params.parse({ method: 'youden' });
    const th = await thresholdKernel.run({ scores: s }, tp, testContext().ctx);
    texts(await thresholdKernel.preview!(th, tp));
    expect(lines.length).toBeGreaterThanOrEqual(6);
    for (const l of lines) if (englishLeft(l).length > 0) expectJapanese(l, ['youden']);
  });

  it('compare: differently named images, unlabelled images, a scorer below 0.5', async () => {
    const { ctx, warnings } = testContext();
    const a = scores([1, 2, 3, 4, 9], [0, 0, 1, 1, -1], 'sa');
    const b = { ...scores([4, 3, 2, 1, 9], [0, 0, 1, 1, -1], 'sb'), names: ['j0', 'j1', 'j2', 'j3', 'j4'] };
    await compareKernel.run({ a, b } as never, compareNode.params.parse({}), ctx);
    expect(warnings).toHaveLength(3);
    allJapanese(warnings, ['sb']);
  });
});
