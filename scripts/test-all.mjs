#!/usr/bin/env node
// `npm test`: every test — unit (Vitest) and browser (Playwright in Chromium against a fresh production build).
// Installs Debian's Chromium when it is missing and we are root (offline-capable: apt reaches Debian's archive).
// Ends with one plain line, `N passed, N failed`, summed over both suites.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';

const args = new Set(process.argv.slice(2));
const unitOnly = args.has('--unit');
const e2eOnly = args.has('--e2e');
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1' };
mkdirSync('.test-results', { recursive: true });

function run(cmd, cmdArgs, extraEnv = {}) {
  console.log(`\n$ ${cmd} ${cmdArgs.join(' ')}`);
  return spawnSync(cmd, cmdArgs, { stdio: 'inherit', env: { ...env, ...extraEnv } }).status ?? 1;
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

let passed = 0;
let failed = 0;
let skipped = 0;
const problems = [];

if (!e2eOnly) {
  const out = '.test-results/vitest.json';
  const code = run('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${out}`]);
  const r = readJson(out);
  if (r) {
    passed += r.numPassedTests;
    failed += r.numFailedTests;
    skipped += r.numPendingTests + r.numTodoTests;
  }
  if (code !== 0 || !r) {
    problems.push('unit tests failed');
    if (!r) failed += 1;
  }
}

if (!unitOnly) {
  const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(chromium) && process.getuid?.() === 0) {
    run('bash', ['-c', 'apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium']);
  }
  if (!existsSync(chromium)) {
    problems.push(`Chromium not found at ${chromium}: install it (sudo apt-get install -y chromium) or set CHROMIUM_PATH`);
    failed += 1;
  } else if (run('npm', ['run', 'build']) !== 0) {
    problems.push('next build failed');
    failed += 1;
  } else {
    const out = '.test-results/playwright.json';
    const code = run('npx', ['playwright', 'test', '--reporter=list,json'], {
      PLAYWRIGHT_JSON_OUTPUT_FILE: out,
      PLAYWRIGHT_JSON_OUTPUT_NAME: out,
    });
    const r = readJson(out);
    if (r?.stats) {
      passed += r.stats.expected + r.stats.flaky;
      failed += r.stats.unexpected;
      skipped += r.stats.skipped;
    }
    if (code !== 0 || !r?.stats) {
      problems.push('browser tests failed');
      // No test failed but Playwright did (e.g. its web server could not start): count the run itself.
      if (!r?.stats || r.stats.unexpected === 0) failed += 1;
    }
  }
}

for (const p of problems) console.log(`✘ ${p}`);
console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || problems.length > 0 ? 1 : 0);
