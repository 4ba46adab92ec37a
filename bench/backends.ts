/**
 * `npm run bench:backends`: for each TF.js backend available in Node (wasm, cpu), time
 *   (1) one training step of the lecture AutoEncoder, batch 32, at 128×128 and 256×256 (and, for the
 *       forward + backward ≈ 3× forward yardstick, its forward pass alone: ae128fwd),
 *   (2) the PaDiM feature pass of the MobileNetV2 backbone at 224×224, batch 8 (needs ../shared/models),
 *   (3) a PaDiM fit on 1,000 images (needs the lecture-padim template and ../shared/models),
 * each in its own process with a time limit, and print a table (or `--json`). Options: --backends wasm,cpu
 * --cases ae128,ae256,mobilenet224,padim1000 --timeout SECONDS (default 900).
 */
import { spawnSync } from 'node:child_process';

const args = process.argv.slice(2);
const opt = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
};
const backends = opt('backends', 'wasm,cpu').split(',');
const cases = opt('cases', 'ae128,ae128fwd,ae256,mobilenet224,padim1000').split(',');
const timeoutS = Number(opt('timeout', '900'));
const labels: Record<string, string> = {
  ae128: 'AE train step, B=32, 128²',
  ae256: 'AE train step, B=32, 256²',
  ae128fwd: 'AE forward only, B=32, 128²',
  mobilenet224: 'MobileNetV2 features, B=8, 224²',
  padim1000: 'PaDiM fit, 1,000 images',
};

type Row = { case: string; backend: string; ms?: number; perSecond?: number; peakRssBytes?: number; error?: string };
const rows: Row[] = [];
for (const c of cases) {
  for (const b of backends) {
    const started = Date.now();
    const r = spawnSync('npx', ['tsx', 'bench/backend-case.ts', b, c], { encoding: 'utf8', timeout: timeoutS * 1000 });
    const line = r.stdout?.trim().split('\n').filter((l) => l.startsWith('{')).at(-1);
    const parsed = line ? (JSON.parse(line) as Omit<Row, 'case' | 'backend'>) : { error: r.error ? `stopped after ${Math.round((Date.now() - started) / 1000)} s` : r.stderr?.slice(-300) };
    rows.push({ case: c, backend: b, ...parsed });
    if (!args.includes('--json')) process.stderr.write(`${c} ${b}: ${parsed.error ?? `${parsed.ms?.toFixed(0)} ms`}\n`);
  }
}

if (args.includes('--json')) {
  console.log(JSON.stringify(rows, null, 2));
} else {
  console.log('\n| case | backend | ms / step | images / s | peak RSS |');
  console.log('| --- | --- | ---: | ---: | ---: |');
  for (const r of rows) {
    const mb = r.peakRssBytes ? `${(r.peakRssBytes / 2 ** 20).toFixed(0)} MiB` : '';
    console.log(`| ${labels[r.case] ?? r.case} | ${r.backend} | ${r.error ? r.error : r.ms!.toFixed(0)} | ${r.perSecond ? r.perSecond.toFixed(1) : ''} | ${mb} |`);
  }
  for (const c of cases) {
    const w = rows.find((r) => r.case === c && r.backend === 'wasm');
    const p = rows.find((r) => r.case === c && r.backend === 'cpu');
    if (w?.ms && p?.ms) console.log(`${labels[c]}: wasm is ${(p.ms / w.ms).toFixed(1)}× faster than cpu`);
  }
}
