/**
 * What the Node (bench/backends.ts) and Chromium (bench/browser-backends.ts) backend benchmarks share: their
 * command-line options, one result row per (case, backend), and the Markdown table / JSON they print.
 */
import path from 'node:path';
import { BENCH_CASES, isBenchCase } from '../workers/engine/bench-cases';

/** The MobileNetV2 the model cases read; KIZUKI_MODEL_DIR points elsewhere (a missing folder skips those cases). */
export const MODEL_DIR = path.resolve(process.env.KIZUKI_MODEL_DIR ?? '../shared/models/mobilenet_v2_imagenet');

export type BenchRow = {
  case: string;
  backend: string;
  ms?: number;
  perSecond?: number;
  /** Peak of tf.memory().numBytes during the case (warm-up + timed steps). */
  peakTfBytes?: number;
  /** Node: the case process's peak RSS. Chromium: peak PSS summed over the browser's processes. */
  peakRssBytes?: number;
  /** Set when the case was stopped at its time limit (seconds); never reported as a time. */
  timeoutS?: number;
  skipped?: string;
  error?: string;
};

export type BenchOptions = { backends: string[]; cases: string[]; timeoutFor(c: string): number; json: boolean; port: number };

/**
 * --backends a,b  --cases x,y  --timeout SPEC  --json  --port N. SPEC is a default in seconds and/or per-case
 * limits: "300", "120,padim1000=400".
 */
export function parseBenchArgs(args: string[], defaults: { backends: string; cases: string; timeout: string; port?: number }): BenchOptions {
  const opt = (name: string, fallback: string) => {
    const i = args.indexOf(`--${name}`);
    if (i < 0) return fallback;
    const v = args[i + 1];
    if (!v || v.startsWith('--')) throw new Error(`--${name} needs a value`);
    return v;
  };
  const list = (s: string) => s.split(',').map((x) => x.trim()).filter(Boolean);
  const cases = list(opt('cases', defaults.cases));
  const unknown = cases.filter((c) => !isBenchCase(c));
  if (unknown.length) throw new Error(`--cases: unknown ${unknown.join(', ')}; choose from ${Object.keys(BENCH_CASES).join(', ')}`);
  let fallback = NaN;
  const perCase = new Map<string, number>();
  for (const part of list(opt('timeout', defaults.timeout))) {
    const [k, v] = part.includes('=') ? part.split('=') : [undefined, part];
    const s = Number(v);
    if (!(s > 0)) throw new Error(`--timeout: "${part}" is not a positive number of seconds (e.g. --timeout 120,padim1000=400)`);
    if (k === undefined) fallback = s;
    else if (!isBenchCase(k)) throw new Error(`--timeout: unknown case "${k}"`);
    else perCase.set(k, s);
  }
  if (Number.isNaN(fallback)) fallback = Number(defaults.timeout);
  const port = Number(opt('port', String(defaults.port ?? 0)));
  return { backends: list(opt('backends', defaults.backends)), cases, timeoutFor: (c) => perCase.get(c) ?? fallback, json: args.includes('--json'), port };
}

const mib = (b?: number) => (b ? `${(b / 2 ** 20).toFixed(0)} MiB` : '');

/** The "ms / step" cell: a time, "> N s (timeout)", "skipped: why" or "error: why". */
export function msCell(r: BenchRow): string {
  if (r.timeoutS !== undefined) return `> ${r.timeoutS} s (timeout)`;
  if (r.skipped) return `skipped: ${r.skipped}`;
  if (r.error || r.ms === undefined) return `error: ${r.error ?? 'no result'}`;
  return r.ms.toFixed(0);
}

/** The Markdown table both benches print; `memoryLabel` names what peakRssBytes measured. */
export function formatTable(rows: BenchRow[], memoryLabel: string): string {
  const lines = [`| case | backend | ms / step | images / s | peak TF.js memory | ${memoryLabel} |`, '| --- | --- | ---: | ---: | ---: | ---: |'];
  for (const r of rows) {
    const ok = r.ms !== undefined && r.timeoutS === undefined;
    const label = isBenchCase(r.case) ? BENCH_CASES[r.case] : r.case;
    lines.push(`| ${label} | ${r.backend} | ${msCell(r)} | ${ok && r.perSecond ? r.perSecond.toFixed(1) : ''} | ${ok ? mib(r.peakTfBytes) : ''} | ${mib(r.peakRssBytes)} |`);
  }
  return lines.join('\n');
}

/** One progress line per finished case (stderr, so --json output stays clean). */
export function progressLine(r: BenchRow): string {
  return `${r.case} ${r.backend}: ${msCell(r)}${r.ms !== undefined && r.timeoutS === undefined ? ' ms' : ''}\n`;
}
