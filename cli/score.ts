/**
 * `kizuki score DETECTOR_DIR IMAGES_DIR [--out scores.csv]`: apply a trained detector (workers/engine/detector.ts)
 * to a folder of images headless. Images are listed like an image-set node lists a folder (class subfolders give
 * labels, a flat folder is unlabelled), decoded with the detector's preprocessing, and scored in chunks; unreadable
 * files are skipped and counted. Output CSV: image,label,score[,anomalous] (anomalous = score ≥ threshold).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { KizukiError } from '../graph-nodes/core/errors';
import { listSources } from '../graph-nodes/image-set/sources';
import { initBackend, NODE_ORDER } from '../workers/engine/backend';
import { type LoadedDetector, loadDetector } from '../workers/engine/detector';
import { decodeImage, prepareDecode } from '../workers/engine/image-decode';
import { createNodeIO } from '../workers/engine/node-io';
import { checkNodeBackend, eachArg } from './args';

export const SCORE_USAGE = `kizuki score DETECTOR_DIR IMAGES_DIR [--out scores.csv] [--backend wasm|cpu] [--quiet]`;

type Out = { log: (s: string) => void; err: (s: string) => void };
type ScoreArgs = { detector: string; images: string; out?: string; backend?: string; quiet: boolean };

/** Images decoded and scored per chunk: bounds memory on large folders (a multiple of the predict batch). */
const CHUNK = 256;

export function parseScoreArgs(args: string[]): ScoreArgs {
  const positional: string[] = [];
  const parsed: Partial<ScoreArgs> = { quiet: false };
  eachArg(args, (a, value) => {
    if (a === '--out') parsed.out = value();
    else if (a === '--backend') parsed.backend = value();
    else if (a === '--quiet' || a === '-q') parsed.quiet = true;
    else if (a.startsWith('-')) throw new KizukiError('BAD_ARGUMENT', { reason: `unknown option ${a}\nUsage: ${SCORE_USAGE}` });
    else positional.push(a);
  });
  if (positional.length !== 2) throw new KizukiError('BAD_ARGUMENT', { reason: `score needs DETECTOR_DIR and IMAGES_DIR\nUsage: ${SCORE_USAGE}` });
  checkNodeBackend(parsed.backend);
  return { ...parsed, detector: positional[0]!, images: positional[1]! } as ScoreArgs;
}

export type ScoredImage = { name: string; label: number; score: number };
export type ScoreOutcome = { rows: ScoredImage[]; skipped: { name: string; reason: string }[] };

/** Load a detector folder; missing files name the path inside it. */
export async function loadDetectorDir(dir: string): Promise<LoadedDetector> {
  try {
    await readFile(path.join(dir, 'detector.json'));
  } catch {
    throw new KizukiError('BAD_ARGUMENT', { reason: `${path.join(dir, 'detector.json')} not found: DETECTOR_DIR must be a folder written by \`kizuki run … --detector\` (or the unzipped "Download detector")` });
  }
  return loadDetector(async (rel) => {
    try {
      return new Uint8Array(await readFile(path.join(dir, rel)));
    } catch {
      throw new Error(`${path.join(dir, rel)} is missing`);
    }
  });
}

/** Score every image in `imagesDir` (chunked); unreadable files are skipped with their reason. */
export async function scoreFolder(detector: LoadedDetector, imagesDir: string): Promise<ScoreOutcome> {
  const io = createNodeIO();
  let listing;
  try {
    listing = await listSources({ path: imagesDir, normalClass: 'auto', split: '', include: 'all', limit: 0, seed: 0 }, io, 'score');
  } catch (err) {
    if (err instanceof KizukiError && err.info.code === 'FILE_NOT_FOUND') throw new KizukiError('BAD_ARGUMENT', { reason: `IMAGES_DIR ${imagesDir} does not exist` });
    if (err instanceof KizukiError && err.info.field === 'normalClass') {
      throw new KizukiError('BAD_ARGUMENT', { reason: `${imagesDir}: ${err.message.replace(/^Node "score": parameter "normalClass" /, 'no class folder is normal: "auto" ')} — name the normal class folder NORMAL (or good, 0), or use a flat folder of images` });
    }
    throw err;
  }
  const { size, grayscale } = detector.spec.preprocessing;
  const channels = grayscale ? 1 : 3;
  const px = size * size * channels;
  const rows: ScoredImage[] = [];
  const skipped: ScoreOutcome['skipped'] = [];
  for (let start = 0; start < listing.entries.length; start += CHUNK) {
    const chunk = listing.entries.slice(start, start + CHUNK);
    const pixels = new Float32Array(chunk.length * px);
    const kept: ScoredImage[] = [];
    for (const e of chunk) {
      try {
        const bytes = await io.readBytes(e.path);
        await prepareDecode(bytes, e.name);
        const dec = decodeImage(bytes, e.name, { size, grayscale });
        pixels.set(dec.data, kept.length * px);
        kept.push({ name: e.name, label: e.label, score: NaN });
      } catch (err) {
        const msg = err instanceof Error ? err.message : String(err);
        skipped.push({ name: e.name, reason: msg.startsWith(`${e.name}: `) ? msg.slice(e.name.length + 2) : msg });
      }
    }
    if (kept.length === 0) continue;
    const images = tf.tensor4d(pixels.subarray(0, kept.length * px), [kept.length, size, size, channels]);
    try {
      const scores = await detector.score(images);
      kept.forEach((r, i) => (r.score = scores[i]!));
    } finally {
      images.dispose();
    }
    rows.push(...kept);
  }
  return { rows, skipped };
}

export function scoredCsv(rows: ScoredImage[], threshold: number | null): string {
  const field = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const header = ['image', 'label', 'score', ...(threshold !== null ? ['anomalous'] : [])];
  const lines = rows.map((r) => [field(r.name), String(r.label), String(r.score), ...(threshold !== null ? [r.score >= threshold ? '1' : '0'] : [])].join(','));
  return `${[header.join(','), ...lines].join('\n')}\n`;
}

export async function scoreCommand(argv: string[], out: Out): Promise<number> {
  const args = parseScoreArgs(argv);
  tf.env().set('PROD', true);
  const backend = await initBackend(args.backend ?? null, NODE_ORDER);
  const detector = await loadDetectorDir(args.detector);
  try {
    const { spec } = detector;
    if (!args.quiet) out.err(`kizuki: backend ${backend.name}; detector "${spec.scoreName}" from ${spec.source.pipeline} (${spec.preprocessing.size}×${spec.preprocessing.size}, ${spec.preprocessing.grayscale ? 'grey' : 'RGB'})`);
    const { rows, skipped } = await scoreFolder(detector, args.images);
    for (const s of skipped) out.err(`  skipped ${s.name}: ${s.reason}`);
    if (rows.length === 0) throw new KizukiError('BAD_ARGUMENT', { reason: `no image in ${args.images} could be scored (${skipped.length} skipped)` });
    const threshold = spec.threshold?.value ?? null;
    const csv = scoredCsv(rows, threshold);
    if (args.out) {
      const file = path.resolve(args.out);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, csv);
    } else {
      out.log(csv.trimEnd());
    }
    const flagged = threshold === null ? '' : `, ${rows.filter((r) => r.score >= threshold).length} at or above the threshold ${threshold.toPrecision(4)}`;
    out.err(`scored ${rows.length} images (${skipped.length} skipped${flagged})${args.out ? `; wrote ${path.resolve(args.out)}` : ''}`);
    return 0;
  } finally {
    detector.dispose();
  }
}
