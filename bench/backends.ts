/**
 * `npm run bench:backends`: for each TF.js backend available in Node (wasm, cpu), time the cases of
 * workers/engine/bench-cases.ts (lecture AutoEncoder training step at 128² and 256², its forward pass, the
 * MobileNetV2 feature pass, a PaDiM fit on 1,000 images), each in its own process that is killed at its time
 * limit, and print a table (or `--json`). The Chromium half is `npm run bench:browser`.
 * Options: --backends wasm,cpu --cases ae128,ae128fwd,ae256,mobilenet224,padim1000 --json
 *          --timeout SECONDS or per case, e.g. --timeout 300,padim1000=900 (default 900)
 */
import { spawnSync } from 'node:child_process';
import { type BenchRow, formatTable, parseBenchArgs, progressLine } from './bench-report';

const opts = parseBenchArgs(process.argv.slice(2), { backends: 'wasm,cpu', cases: 'ae128,ae128fwd,ae256,mobilenet224,padim1000', timeout: '900' });

const rows: BenchRow[] = [];
for (const c of opts.cases) {
  for (const b of opts.backends) {
    const limit = opts.timeoutFor(c);
    // node itself (not npx): the time limit's SIGKILL then stops the process doing the work, not a wrapper.
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'bench/backend-case.ts', b, c], {
      encoding: 'utf8',
      timeout: limit * 1000,
      killSignal: 'SIGKILL',
      maxBuffer: 64 * 2 ** 20,
    });
    const line = r.stdout?.trim().split('\n').filter((l) => l.startsWith('{')).at(-1);
    let row: BenchRow;
    if (r.error && (r.error as NodeJS.ErrnoException).code === 'ETIMEDOUT') row = { case: c, backend: b, timeoutS: limit };
    else if (line) row = { case: c, backend: b, ...(JSON.parse(line) as Omit<BenchRow, 'case' | 'backend'>) };
    else row = { case: c, backend: b, error: (r.error?.message ?? r.stderr?.trim().split('\n').at(-1) ?? `exit ${r.status}`).slice(0, 300) };
    rows.push(row);
    process.stderr.write(progressLine(row));
  }
}

if (opts.json) console.log(JSON.stringify(rows, null, 2));
else {
  console.log(`\n${formatTable(rows, 'peak RSS (process)')}`);
  for (const c of opts.cases) {
    const w = rows.find((r) => r.case === c && r.backend === 'wasm' && r.ms !== undefined);
    const p = rows.find((r) => r.case === c && r.backend === 'cpu');
    if (w?.ms && p?.ms) console.log(`${c}: wasm is ${(p.ms / w.ms).toFixed(1)}× faster than cpu`);
  }
}
