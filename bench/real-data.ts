/**
 * `npm run bench`: every lecture template headless on the real pediatric chest X-rays in
 * ../shared/data/cxr-pneumonia-224 — fit on train/NORMAL (Deep SAD also gets 13 labelled train/PNEUMONIA, 1 % of
 * the normals), evaluate on test/ — at 128×128 grey (224 for PaDiM's backbone). Writes a table between the
 * markers in BENCHMARKS.md: AUROC, AP, the AUROC if the score direction were flipped (reported, never used:
 * choosing a direction by looking at test labels does not count), fit and score seconds, peak memory, backend.
 * Options: --only ID[,ID] --limit N (training images per run, default all) --epochs N --no-write
 * --reuse (rebuild the table from the latest finished outputs in the temp folder instead of rerunning)
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { main } from '../cli/main';
import { getTemplate } from '../graph-nodes/templates';
import { getDefinition } from '../graph-nodes/registry';

const DATA = '../shared/data/cxr-pneumonia-224/labels.csv';
const MODEL = '../shared/models/mobilenet_v2_imagenet';
const args = process.argv.slice(2);
const opt = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};

const data = (node: string, split: string, include: string, size: number, extra: string[] = []) => [
  `${node}.source=folder`, `${node}.path=${DATA}`, `${node}.split=${split}`, `${node}.include=${include}`, `${node}.size=${size}`, ...extra,
];
const limit = opt('limit');
const epochs = opt('epochs');
const trainExtra = limit ? [`train-data.limit=${limit}`] : [];

type Case = { template: string; sets: string[] };
const cases: Case[] = [
  { template: 'lecture-ae-residual', sets: [...data('train-data', 'train', 'normal', 128, trainExtra), ...data('test-data', 'test', 'all', 128), ...(epochs ? [`ae.epochs=${epochs}`] : [])] },
  { template: 'lecture-ae-latent', sets: [...data('train-data', 'train', 'normal', 128, trainExtra), ...data('test-data', 'test', 'all', 128), ...(epochs ? [`ae.epochs=${epochs}`] : [])] },
  { template: 'lecture-ae-features', sets: [...data('train-data', 'train', 'normal', 128, trainExtra), ...data('test-data', 'test', 'all', 128), ...(epochs ? [`ae.epochs=${epochs}`] : [])] },
  { template: 'lecture-deep-svdd', sets: [...data('train-data', 'train', 'normal', 128, trainExtra), ...data('test-data', 'test', 'all', 128)] },
  {
    template: 'lecture-deep-sad',
    sets: [...data('train-data', 'train', 'normal', 128, trainExtra), ...data('test-data', 'test', 'all', 128), ...data('labelled-anomalies', 'train', 'anomalous', 128, ['labelled-anomalies.limit=13'])],
  },
  { template: 'lecture-padim', sets: [...data('train-data', 'train', 'normal', 224, trainExtra), ...data('test-data', 'test', 'all', 224), `backbone.path=${MODEL}`] },
];

if (!existsSync(DATA)) {
  console.error(`kizuki bench: ${DATA} not found — this benchmark needs the shared real-data folder beside the project.`);
  process.exit(2);
}
const only = opt('only')?.split(',');
const rows: string[] = [];
for (const c of cases) {
  if (only && !only.includes(c.template)) continue;
  const template = getTemplate(c.template);
  if (!template) {
    rows.push(`| ${c.template} | (template not built yet) | | | | | | |`);
    continue;
  }
  // Only set parameters of nodes the template has (e.g. a template without an 'ae' node ignores ae.epochs).
  const ids = new Set(template.doc.nodes.map((n) => n.id));
  const sets = c.sets.filter((s) => ids.has(s.split('.')[0]!));
  const reuse = args.includes('--reuse') ? await latestOutput(c.template) : undefined;
  const out = reuse ?? (await mkdtemp(path.join(os.tmpdir(), `kizuki-bench-${c.template}-`)));
  if (!reuse) {
    const argv = ['run', '--template', c.template, ...sets.flatMap((s) => ['--set', s]), '--out', out, '--quiet'];
    console.error(`\n$ npx kizuki ${argv.join(' ')}`);
    const code = await main(argv);
    if (code !== 0) {
      rows.push(`| ${c.template} | failed (exit ${code}) | | | | | | |`);
      continue;
    }
  }
  rows.push(...(await tableRows(c.template, out)));
}

/** Table rows of one finished run (its metrics.json and run.json). */
async function tableRows(templateId: string, out: string): Promise<string[]> {
  const template = getTemplate(templateId)!;
  const metrics = JSON.parse(await readFile(path.join(out, 'metrics.json'), 'utf8'));
  const run = JSON.parse(await readFile(path.join(out, 'run.json'), 'utf8'));
  const seconds = (category: string) =>
    Object.entries(run.nodes as Record<string, { seconds: number | null }>)
      .filter(([id]) => getDefinition(template.doc.nodes.find((n) => n.id === id)?.type ?? '')?.category === category)
      .reduce((s, [, n]) => s + (n.seconds ?? 0), 0);
  const rows: string[] = [];
  type M = { auroc: number | null; ap: number | null; scorer: string };
  for (const [id, m] of Object.entries(metrics as Record<string, M>)) {
    // NaN is written as null in JSON: e.g. a pixel-level evaluator on images without masks.
    if (typeof m.auroc !== 'number') continue;
    rows.push(
      `| ${templateId} | ${id}: ${m.scorer} | ${m.auroc.toFixed(3)} | ${(m.ap ?? NaN).toFixed(3)} | ${(1 - m.auroc).toFixed(3)} | ${seconds('model').toFixed(0)} / ${seconds('score').toFixed(1)} | ${(run.peakMemory.rssBytes / 2 ** 20).toFixed(0)} MiB | ${run.backend} |`,
    );
  }
  return rows;
}

/** The most recent output folder of a template's benchmark run (for --reuse: rebuild the table without rerunning). */
async function latestOutput(templateId: string): Promise<string | undefined> {
  const { readdir, stat } = await import('node:fs/promises');
  const prefix = `kizuki-bench-${templateId}-`;
  const dirs = (await readdir(os.tmpdir())).filter((d) => d.startsWith(prefix)).map((d) => path.join(os.tmpdir(), d));
  const done = [];
  for (const d of dirs) if (existsSync(path.join(d, 'metrics.json'))) done.push({ d, t: (await stat(d)).mtimeMs });
  return done.sort((a, b) => b.t - a.t)[0]?.d;
}

const table = [
  `Measured ${new Date().toISOString().slice(0, 10)} with \`npm run bench${args.length ? ` -- ${args.join(' ')}` : ''}\` on this 2-core machine (no GPU).`,
  'fit / score s = seconds in Model-category nodes / Score-category nodes (PaDiM fits and scores inside its one Score node).',
  '',
  '| template | evaluator: scorer | AUROC | AP | AUROC if flipped (not a result) | fit / score s | peak RSS | backend |',
  '| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |',
  ...rows,
].join('\n');
console.log(`\n${table}`);
if (!args.includes('--no-write')) {
  const file = 'BENCHMARKS.md';
  const text = existsSync(file) ? await readFile(file, 'utf8') : '';
  const begin = '<!-- real-data:begin -->';
  const end = '<!-- real-data:end -->';
  const block = `${begin}\n${table}\n${end}`;
  const next = text.includes(begin) ? text.replace(new RegExp(`${begin}[\\s\\S]*?${end}`), block) : `${text}\n${block}\n`;
  await writeFile(file, next);
  console.error(`updated ${file}`);
}
