/**
 * `npm run bench:browser`, the Chromium half of `npm run bench:backends`: open the built app (`npm run build`
 * first) at `/?bench=1` in Debian's Chromium (WebGPU enabled with --enable-unsafe-webgpu; software SwiftShader on a
 * machine without GPU) and run the cases of workers/engine/bench-cases.ts on each backend inside the app's worker.
 * Each (case, backend) gets a fresh browser that is closed at the case's time limit, so a stuck backend cannot
 * slow the next case; such a case is reported as "> N s (timeout)". The MobileNetV2 cases read the model from
 * ../shared/models/mobilenet_v2_imagenet, answered to the page at /bench-model/* (nothing is copied into the app);
 * without that folder they are skipped, saying so. Memory: peak tf.memory().numBytes inside the worker, and the
 * peak PSS summed over all of that browser's processes (renderer + GPU + browser), sampled every second.
 * Prints the Node bench's table (or `--json`).
 * Options: --backends webgpu,webgl,wasm,cpu --cases ae128,ae256,mobilenet224,padim1000 --port 3190 --json
 *          --timeout SECONDS or per case, e.g. --timeout 150,padim1000=400 (default 600)
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { chromium, type BrowserServer } from 'playwright-core';
import type { BenchmarkResult } from '../workers/executor.worker';
import { MODEL_CASES, type BenchCase } from '../workers/engine/bench-cases';
import { type BenchRow, formatTable, MODEL_DIR, parseBenchArgs, progressLine } from './bench-report';

const opts = parseBenchArgs(process.argv.slice(2), { backends: 'webgpu,webgl,wasm,cpu', cases: 'ae128,ae256,mobilenet224,padim1000', timeout: '600', port: 3190 });
const origin = `http://127.0.0.1:${opts.port}`;
const chromiumArgs = ['--no-sandbox', '--enable-unsafe-webgpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** Process ids of `root` and all its descendants (from /proc/PID/stat). */
function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      // Field 4 is the parent pid; the command name (field 2) is in parentheses and may contain spaces.
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
    } catch {
      // the process ended meanwhile
    }
  }
  const out: number[] = [];
  const stack = [root];
  while (stack.length) {
    const pid = stack.pop()!;
    out.push(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return out;
}

/** PSS in bytes summed over a process tree (shared pages split between the processes, so the sum is not inflated). */
function treePssBytes(root: number): number {
  let kib = 0;
  for (const pid of processTree(root)) {
    try {
      const m = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
      if (m) kib += Number(m[1]);
    } catch {
      // the process ended meanwhile
    }
  }
  return kib * 1024;
}

/** Close the browser; if it does not go within 15 s (a renderer stuck in a kernel), kill its processes. */
async function closeHard(browser: BrowserServer) {
  const pid = browser.process().pid;
  const closed = await Promise.race([browser.close().then(() => true, () => true), new Promise<false>((r) => setTimeout(() => r(false), 15_000))]);
  if (!closed && pid) {
    for (const p of processTree(pid).reverse()) {
      try {
        process.kill(p, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
}

async function runCase(c: BenchCase, backend: string): Promise<BenchRow> {
  const limitS = opts.timeoutFor(c);
  // launchServer (not launch): its process id lets us sample memory and kill what a close cannot stop.
  const server = await chromium.launchServer({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: chromiumArgs });
  const pid = server.process().pid;
  let peakPss = 0;
  const sample = () => {
    if (pid) peakPss = Math.max(peakPss, treePssBytes(pid));
  };
  const sampler = setInterval(sample, 1000);
  try {
    const browser = await chromium.connect(server.wsEndpoint());
    const page = await browser.newPage();
    // The model files, answered from the shared folder (only names that exist directly in it).
    await page.route('**/bench-model/*', async (route) => {
      const name = decodeURIComponent(new URL(route.request().url()).pathname.split('/').pop() ?? '');
      const file = path.join(MODEL_DIR, name);
      if (!name || name.startsWith('.') || !existsSync(file)) return route.fulfill({ status: 404, body: `no ${name} in ${MODEL_DIR}` });
      return route.fulfill({ status: 200, body: readFileSync(file), contentType: name.endsWith('.json') ? 'application/json' : 'application/octet-stream' });
    });
    // ?backend=cpu: the worker starts without the backend probe; benchmark() then switches to `backend`.
    await page.goto(`${origin}/?bench=1&backend=cpu`);
    await page.waitForFunction(() => 'kizukiBench' in window, null, { timeout: 120_000 });
    // Wait for the page's own worker start (it would replace a worker already busy with the benchmark).
    await page.locator('[data-testid="backend"][data-backend="cpu"]').waitFor({ timeout: 120_000 });
    const call = { backend, case: c, repeats: backend === 'cpu' ? 1 : 2, modelUrl: `${origin}/bench-model/model.json` };
    let timer: NodeJS.Timeout | undefined;
    const result = await Promise.race([
      page.evaluate((o) => (window as unknown as { kizukiBench(o: object): Promise<BenchmarkResult> }).kizukiBench(o), call),
      new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), limitS * 1000))),
    ]).finally(() => clearTimeout(timer));
    sample();
    if (result === 'timeout') return { case: c, backend, timeoutS: limitS, peakRssBytes: peakPss };
    return { case: c, ...result, backend, peakRssBytes: peakPss };
  } catch (err) {
    return { case: c, backend, error: (err instanceof Error ? err.message : String(err)).split('\n')[0], peakRssBytes: peakPss || undefined };
  } finally {
    clearInterval(sampler);
    await closeHard(server);
  }
}

// node itself (not npx), so that killing it stops the server.
const app = spawn(process.execPath, ['node_modules/next/dist/bin/next', 'start', '-p', String(opts.port)], {
  stdio: 'ignore',
  env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
});
const rows: BenchRow[] = [];
try {
  let up = false;
  for (let i = 0; i < 60 && !up; i++) {
    up = await fetch(`${origin}/`).then((r) => r.ok, () => false);
    if (!up) await new Promise((r) => setTimeout(r, 1000));
  }
  if (!up) throw new Error(`next start on port ${opts.port} did not answer within 60 s (did \`npm run build\` run? is the port free?)`);
  for (const c of opts.cases as BenchCase[]) {
    for (const backend of opts.backends) {
      const row: BenchRow =
        MODEL_CASES.includes(c) && !existsSync(path.join(MODEL_DIR, 'model.json'))
          ? { case: c, backend, skipped: `no model at ${MODEL_DIR}` }
          : await runCase(c, backend);
      rows.push(row);
      process.stderr.write(progressLine(row));
    }
  }
} finally {
  app.kill();
}
if (opts.json) console.log(JSON.stringify(rows, null, 2));
else console.log(`\n${formatTable(rows, 'peak PSS (Chromium, all processes)')}`);
