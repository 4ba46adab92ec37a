/**
 * Headless Kizuki: the same engine as the browser worker, run from the command line.
 *   kizuki templates                      list built-in template ids
 *   kizuki template ID                    print a template's pipeline JSON
 *   kizuki run (PIPELINE.json | --template ID) [--set NODE.PARAM=VALUE]… [--backend wasm|cpu] --out DIR [--report] [--detector]
 *   kizuki score DETECTOR_DIR IMAGES_DIR [--out scores.csv]   apply a saved detector (cli/score.ts)
 * `run` writes DIR/metrics.json, DIR/scores.csv, DIR/run.json and DIR/data-manifest.json; `--report` also
 * DIR/report.html, `--detector` DIR/detector-<scorer node>/. Exit codes: 0 ok, 1 the run failed, 2 bad input.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { type ErrorInfo, KizukiError, toErrorInfo } from '../graph-nodes/core/errors';
import type { PipelineDoc } from '../graph-nodes/core/pipeline-schema';
import { getDefinition } from '../graph-nodes/registry';
import { getTemplate, templates } from '../graph-nodes/templates';
import { initBackend, NODE_ORDER } from '../workers/engine/backend';
import type { RunEvent } from '../workers/engine/events';
import { createNodeIO } from '../workers/engine/node-io';
import { checkNodeBackend, eachArg } from './args';
import type { RunResult } from '../workers/engine/run';
import { EngineSession } from '../workers/engine/session';
import { buildDetector, detectorCandidates } from '../workers/engine/detector';
import { liveOutputs } from '../workers/engine/run';
import { runManifest } from '../workers/engine/manifest';
import { compareManifests } from '../graph-nodes/core/data-manifest';
import { buildReport, type ReportNode } from '../graph-nodes/core/report';
import { collectScores, scoresCsv, writeFileTree } from './outputs';
import { SCORE_USAGE, scoreCommand } from './score';
import { applySet } from './set-param';

export const USAGE = `Usage:
  kizuki templates
  kizuki template ID
  kizuki run (PIPELINE.json | --template ID) [--set NODE_ID.PARAM=VALUE]... [--backend wasm|cpu] --out DIR [--detector] [--report] [--quiet]
  ${SCORE_USAGE}

run writes DIR/metrics.json (per evaluator node: auroc, ap, nNormal, nAnomalous, roc curve), DIR/scores.csv (image, label,
one column per scorer), DIR/run.json (backend, seconds per node, peak memory) and DIR/data-manifest.json (per
image set: files, counts, content hash); --report also DIR/report.html (pipeline, parameters, metrics, plots,
example images); --detector the trained detector of each residual-max / latent-distance scorer to DIR/detector-NODE_ID/.
score applies such a detector to a folder of images: CSV image,label,score[,anomalous].
Example: kizuki run --template lecture-ae-residual --set ae.epochs=4 --out out --detector
         kizuki score out/detector-residual my-images --out my-scores.csv`;

type Out = { log: (s: string) => void; err: (s: string) => void };
const stdio: Out = { log: (s) => process.stdout.write(`${s}\n`), err: (s) => process.stderr.write(`${s}\n`) };

export async function main(argv: string[], out: Out = stdio): Promise<number> {
  try {
    const [command, ...rest] = argv;
    if (!command || command === '--help' || command === '-h' || command === 'help') {
      out.log(USAGE);
      return command ? 0 : 2;
    }
    if (command === 'templates') {
      for (const t of templates) out.log(`${t.id}\t${t.title}`);
      return 0;
    }
    if (command === 'template') {
      const t = rest[0] ? getTemplate(rest[0]) : undefined;
      if (!t) throw unknownTemplate(rest[0]);
      out.log(JSON.stringify(t.doc, null, 2));
      return 0;
    }
    if (command === 'run') return await runCommand(rest, out);
    if (command === 'score') return await scoreCommand(rest, out);
    throw new KizukiError('BAD_ARGUMENT', { reason: `unknown command "${command}"\n${USAGE}` });
  } catch (err) {
    const info = toErrorInfo(err);
    out.err(formatError(info));
    return 2;
  }
}

function unknownTemplate(id: string | undefined) {
  return new KizukiError('BAD_ARGUMENT', {
    reason: `unknown template "${id ?? ''}"; built-in templates: ${templates.map((t) => t.id).join(', ')}`,
  });
}

function formatError(info: ErrorInfo): string {
  return info.code === 'BAD_ARGUMENT' ? `kizuki: ${info.message}` : `kizuki: ${info.message}\n  hint: ${info.hint}`;
}

type RunArgs = { pipeline?: string; template?: string; sets: string[]; backend?: string; out?: string; quiet: boolean; detector: boolean; report: boolean };

export function parseRunArgs(args: string[]): RunArgs {
  const parsed: RunArgs = { sets: [], quiet: false, detector: false, report: false };
  eachArg(args, (a, value) => {
    if (a === '--template') parsed.template = value();
    else if (a === '--set') parsed.sets.push(value());
    else if (a.startsWith('--set=')) parsed.sets.push(a.slice(6));
    else if (a === '--backend') parsed.backend = value();
    else if (a === '--out') parsed.out = value();
    else if (a === '--quiet' || a === '-q') parsed.quiet = true;
    else if (a === '--detector') parsed.detector = true;
    else if (a === '--report') parsed.report = true;
    else if (a.startsWith('-')) throw new KizukiError('BAD_ARGUMENT', { reason: `unknown option ${a}\n${USAGE}` });
    else if (!parsed.pipeline) parsed.pipeline = a;
    else throw new KizukiError('BAD_ARGUMENT', { reason: `unexpected argument ${a}` });
  });
  if (!parsed.pipeline === !parsed.template) {
    throw new KizukiError('BAD_ARGUMENT', { reason: `give either a PIPELINE.json or --template ID\n${USAGE}` });
  }
  if (!parsed.out) throw new KizukiError('BAD_ARGUMENT', { reason: `--out DIR is required\n${USAGE}` });
  checkNodeBackend(parsed.backend);
  return parsed;
}

async function loadDoc(args: RunArgs): Promise<unknown> {
  if (args.template) {
    const t = getTemplate(args.template);
    if (!t) throw unknownTemplate(args.template);
    return structuredClone(t.doc);
  }
  let text: string;
  try {
    text = await readFile(args.pipeline!, 'utf8');
  } catch {
    throw new KizukiError('BAD_ARGUMENT', { reason: `cannot read pipeline file ${args.pipeline}` });
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new KizukiError('INVALID_PIPELINE', { reason: `${args.pipeline} is not JSON (${(err as Error).message})` });
  }
}

async function runCommand(argv: string[], out: Out): Promise<number> {
  const args = parseRunArgs(argv);
  let doc = (await loadDoc(args)) as PipelineDoc;
  if (args.sets.length > 0) {
    if (!doc || !Array.isArray(doc.nodes)) throw new KizukiError('INVALID_PIPELINE', { reason: 'no "nodes" list to apply --set to' });
    for (const s of args.sets) doc = applySet(doc, s);
  }

  tf.env().set('PROD', true);
  const backend = await initBackend(args.backend ?? null, NODE_ORDER);
  const session = new EngineSession(createNodeIO(), backend.name);
  const memory = new PeakMemory();
  const nodeSeconds: Record<string, number> = {};
  const nodeStatus: Record<string, string> = {};
  let lastProgress = 0;
  const reportNodes: Record<string, ReportNode> = {};
  const onEvent = (e: RunEvent) => {
    memory.sample();
    recordForReport(reportNodes, e);
    if (e.type === 'node-started') !args.quiet && out.err(`▶ ${e.nodeId}`);
    if (e.type === 'node-progress' && !args.quiet && Date.now() - lastProgress > 2000) {
      lastProgress = Date.now();
      const p = e.progress;
      const detail = p.epoch ? ` epoch ${p.epoch}/${p.epochs}${p.loss !== undefined ? ` loss ${p.loss.toPrecision(4)}` : ''}` : '';
      out.err(`  ${e.nodeId} ${(p.fraction * 100).toFixed(0)}%${detail}`);
    }
    if (e.type === 'node-warning' && !args.quiet) out.err(`  ! ${e.nodeId}: ${e.message}`);
    if (e.type === 'node-finished') {
      nodeSeconds[e.nodeId] = e.seconds;
      nodeStatus[e.nodeId] = e.cached ? 'cached' : 'done';
      if (!args.quiet) out.err(`✔ ${e.nodeId} (${e.seconds.toFixed(2)} s)`);
    }
    if (e.type === 'node-failed') {
      nodeStatus[e.nodeId] = 'failed';
      out.err(`✘ ${e.nodeId}: ${e.error.message}\n  hint: ${e.error.hint}`);
    }
    if (e.type === 'node-skipped') {
      nodeStatus[e.nodeId] = 'skipped';
      out.err(`- ${e.nodeId} skipped because ${e.blockedBy} failed`);
    }
  };
  if (!args.quiet) out.err(`kizuki: backend ${backend.name} (${backend.reason})`);
  const { summary, result } = await session.run(doc, onEvent);
  memory.stop();
  if (summary.status === 'invalid' || !result) {
    // The plan was rejected: every issue was reported in run-finished; print them.
    const planned = await import('../workers/engine/plan').then((m) => m.planPipeline(doc));
    if (!planned.ok) for (const issue of planned.issues) out.err(formatError(issue));
    return 2;
  }

  const outDir = path.resolve(args.out!);
  await mkdir(outDir, { recursive: true });
  const scorers = collectScores(result);
  await writeFile(path.join(outDir, 'metrics.json'), `${JSON.stringify(summary.metrics, null, 2)}\n`);
  await writeFile(path.join(outDir, 'scores.csv'), scoresCsv(scorers));
  const run = {
    pipeline: (doc as PipelineDoc).name,
    status: summary.status,
    backend: backend.name,
    backendReason: backend.reason,
    seconds: summary.seconds,
    nodes: Object.fromEntries(Object.keys(nodeStatus).map((id) => [id, { status: nodeStatus[id], seconds: nodeSeconds[id] ?? null }])),
    peakMemory: { rssBytes: memory.peakRss, tfBytes: memory.peakTf },
    node: process.version,
    tfjs: tf.version.tfjs,
    finishedAt: new Date().toISOString(),
  };
  await writeFile(path.join(outDir, 'run.json'), `${JSON.stringify(run, null, 2)}\n`);
  const imageSets = (doc as PipelineDoc).nodes.filter((n) => n.type === 'image-set').map((n) => n.id);
  const manifest = await runManifest(imageSets, (id) => liveOutputs(result, session.cache, id));
  await writeFile(path.join(outDir, 'data-manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  // A pipeline exported after a run carries that run's data manifest: say whether this run used the same data.
  const saved = (doc as PipelineDoc).dataManifest;
  if (saved) for (const c of compareManifests(saved, manifest)) out.log(`data: ${c.text}`);
  if (args.report) {
    const html = buildReport({
      doc: doc as PipelineDoc,
      nodes: reportNodes,
      metrics: summary.metrics,
      run: { status: summary.status, backend: backend.name, seconds: summary.seconds, finishedAt: run.finishedAt, by: `kizuki CLI, TF.js ${tf.version.tfjs}` },
      manifest,
    });
    await writeFile(path.join(outDir, 'report.html'), html);
  }
  const detectorFailed = args.detector ? await writeDetectors(doc, result, session, outDir, out) : false;
  session.clearCache();
  for (const [id, m] of Object.entries(summary.metrics)) {
    if (!Number.isFinite(m.auroc)) {
      // e.g. a pixel-level evaluator on images without masks, or a threshold on normals only.
      out.log(`${id}: AUROC n/a (${m.nNormal} normal, ${m.nAnomalous} anomalous; ${m.scorer})`);
      continue;
    }
    out.log(`${id}: AUROC ${m.auroc.toFixed(4)}  AP ${m.ap.toFixed(4)}  (${m.nNormal} normal, ${m.nAnomalous} anomalous; ${m.scorer})`);
  }
  out.log(`wrote ${path.join(outDir, 'metrics.json')}, scores.csv, run.json, data-manifest.json${args.report ? ', report.html' : ''} (${summary.status}, ${summary.seconds.toFixed(1)} s)`);
  return summary.status === 'done' && !detectorFailed ? 0 : 1;
}

/** Per-node status, previews, warnings and errors for report.html. */
function recordForReport(nodes: Record<string, ReportNode>, e: RunEvent): void {
  if (!('nodeId' in e)) return;
  const n = (nodes[e.nodeId] ??= { status: 'queued', warnings: [] });
  if (e.type === 'node-finished') Object.assign(n, { status: e.cached ? 'cached' : 'done', seconds: e.seconds, preview: e.preview });
  else if (e.type === 'node-failed') Object.assign(n, { status: 'failed', error: e.error });
  else if (e.type === 'node-skipped') n.status = `skipped (${e.blockedBy} failed)`;
  else if (e.type === 'node-warning') n.warnings!.push(e.message);
}

/** `--detector`: one folder per supported scorer node; returns true when none could be written. */
async function writeDetectors(doc: PipelineDoc, result: RunResult, session: EngineSession, outDir: string, out: Out): Promise<boolean> {
  const candidates = detectorCandidates(doc);
  const scorers = doc.nodes.filter((n) => Object.values(getDefinition(n.type)?.outputs ?? {}).some((o) => o.type === 'Scores'));
  const others = scorers.filter((n) => !candidates.includes(n.id));
  if (others.length > 0) {
    out.err(`kizuki: --detector: no detector for ${others.map((n) => `${n.id} (${n.type})`).join(', ')}: detectors support residual-max and latent-distance scorers on an AutoEncoder`);
  }
  if (candidates.length === 0) {
    out.err('kizuki: --detector: this pipeline has no residual-max or latent-distance scorer on an AutoEncoder; no detector written');
    return true;
  }
  let written = 0;
  for (const nodeId of candidates) {
    try {
      const files = await buildDetector(doc, nodeId, (id) => liveOutputs(result, session.cache, id));
      const dir = path.join(outDir, `detector-${nodeId}`);
      await writeFileTree(dir, files);
      const shown = path.relative(process.cwd(), dir);
      out.log(`wrote detector ${dir} (apply it with: kizuki score ${shown.startsWith('..') ? dir : shown} IMAGES_DIR)`);
      written++;
    } catch (err) {
      out.err(formatError(toErrorInfo(err)));
    }
  }
  return written === 0;
}

/** Peak resident memory and TF.js tensor bytes, sampled on events and every 250 ms. */
class PeakMemory {
  peakRss = 0;
  peakTf = 0;
  private timer = setInterval(() => this.sample(), 250);
  constructor() {
    this.timer.unref();
  }
  sample() {
    this.peakRss = Math.max(this.peakRss, process.memoryUsage().rss);
    this.peakTf = Math.max(this.peakTf, tf.memory().numBytes);
  }
  stop() {
    this.sample();
    clearInterval(this.timer);
  }
}
