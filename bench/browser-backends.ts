/**
 * The Chromium half of `npm run bench:backends`: open the built app (`npm run build` first) with `?bench=1` in
 * Debian's Chromium (WebGPU enabled with --enable-unsafe-webgpu; software SwiftShader here) and time one training
 * step of the lecture AutoEncoder on each backend inside the app's worker. Prints a table (or `--json`).
 * Options: --backends webgpu,webgl,wasm,cpu --size 128 --batch 32 --timeout SECONDS (per backend, default 600)
 */
import { spawn } from 'node:child_process';
import { chromium } from 'playwright-core';

const args = process.argv.slice(2);
const opt = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
};
const backends = opt('backends', 'webgpu,webgl,wasm,cpu').split(',');
const size = Number(opt('size', '128'));
const batch = Number(opt('batch', '32'));
const timeoutMs = Number(opt('timeout', '600')) * 1000;
const port = 3190;

const server = spawn('npx', ['next', 'start', '-p', String(port)], { stdio: 'ignore', env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--enable-unsafe-webgpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const rows: { backend: string; ms?: number; error?: string }[] = [];
try {
  for (let i = 0; i < 60; i++) {
    if (await fetch(`http://127.0.0.1:${port}/`).then((r) => r.ok, () => false)) break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  for (const backend of backends) {
    // A fresh page per backend: a stuck backend cannot poison the next one.
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${port}/?bench=1&backend=cpu`);
    await page.waitForFunction(() => 'kizukiBench' in window, null, { timeout: 120_000 });
    const result = await Promise.race([
      page.evaluate((o) => (window as unknown as { kizukiBench(o: object): Promise<{ backend: string; ms?: number; error?: string }> }).kizukiBench(o), {
        backend,
        size,
        batch,
        repeats: backend === 'cpu' ? 1 : 2,
      }),
      new Promise<{ backend: string; ms?: number; error?: string }>((r) => setTimeout(() => r({ backend, error: `stopped after ${timeoutMs / 1000} s` }), timeoutMs)),
    ]);
    rows.push(result);
    process.stderr.write(`${backend}: ${result.error ?? `${result.ms?.toFixed(0)} ms`}\n`);
    await page.close();
  }
} finally {
  await browser.close();
  server.kill();
}
if (args.includes('--json')) console.log(JSON.stringify(rows, null, 2));
else {
  console.log(`\n| Chromium backend | lecture AE train step, B=${batch}, ${size}² (ms) | images / s |`);
  console.log('| --- | ---: | ---: |');
  for (const r of rows) console.log(`| ${r.backend} | ${r.error ?? r.ms!.toFixed(0)} | ${r.ms ? ((batch * 1000) / r.ms).toFixed(1) : ''} |`);
}
