/**
 * Results out of a run in the browser: export → import round trip with the data manifest (and the data check on
 * re-run), the HTML report, scores CSV, plot SVG/PNG, and a detector zip that `kizuki score` applies headless to
 * the same images with the same scores as the browser run.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Download } from '@playwright/test';
import { encode } from 'fast-png';
import { expect, test } from './fixtures';

const repo = fileURLToPath(new URL('../..', import.meta.url));

/** xray/NORMAL (4) and xray/PNEUMONIA (4) 32×32 PNGs with some structure, plus one broken file. */
function makeDataset(dir: string): string {
  const root = join(dir, 'xray');
  for (const [cls, level] of [['NORMAL', 60], ['PNEUMONIA', 170]] as const) {
    mkdirSync(join(root, cls), { recursive: true });
    for (let i = 0; i < 4; i++) {
      const data = new Uint8Array(32 * 32).map((_, p) => (level + ((p * (i + 3)) % 50) + ((p >> 5) % 7) * 4) & 255);
      writeFileSync(join(root, cls, `img-${i}.png`), encode({ width: 32, height: 32, data, channels: 1, depth: 8 }));
    }
  }
  writeFileSync(join(root, 'NORMAL', 'broken.png'), 'not an image');
  return root;
}

/** The lecture's residual pipeline, tiny: phantom training set, test set = the picked folder. */
function tinyPipeline() {
  const doc = JSON.parse(readFileSync(join(repo, 'graph-nodes/templates/lecture-ae-residual.json'), 'utf8')) as {
    name: string;
    nodes: { id: string; params: Record<string, unknown> }[];
  };
  doc.name = 'Results <e2e> & "round trip"';
  const set = (id: string, params: Record<string, unknown>) => {
    const node = doc.nodes.find((n) => n.id === id)!;
    node.params = { ...node.params, ...params };
  };
  set('train-data', { normals: 12, size: 32 });
  set('test-data', { source: 'folder', path: 'xray', size: 32 });
  set('ae', { epochs: 1, channels: [4, 8] });
  return doc;
}

async function text(download: Download): Promise<string> {
  return Buffer.concat(await (await download.createReadStream()).toArray()).toString('utf8');
}

async function bytes(download: Download): Promise<Buffer> {
  return Buffer.concat(await (await download.createReadStream()).toArray());
}

test('results of a run: manifest round trip, report, scores, plots and a detector that kizuki score applies', async ({ editor, page }) => {
  test.setTimeout(300_000);
  const dir = mkdtempSync(join(tmpdir(), 'kizuki-e2e-results-'));
  try {
    const root = makeDataset(dir);
    await page.getByTestId('import-input').setInputFiles({ name: 'tiny.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(tinyPipeline())) });
    await page.getByTestId('confirm-replace').click();
    await editor.selectNode('test-data');
    await page.getByTestId('folder-input').setInputFiles(root);
    await expect(page.getByTestId('folder-picker')).toContainText('files available');
    /** Open the toolbar's Results menu (it stays open across downloads). */
    const openResults = async () => {
      if (!(await page.getByTestId('download-report').isVisible())) await page.getByTestId('results-toggle').click();
    };
    await openResults();
    await expect(page.getByTestId('download-report')).toBeDisabled();
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('download-report')).toBeHidden();

    await editor.runButton.click();
    await expect(editor.runStatus).toHaveAttribute('data-phase', 'done', { timeout: 240_000 });
    await openResults();
    await expect(page.getByTestId('download-report')).toBeEnabled();

    // Scores CSV: one row per loaded image (the broken file is skipped).
    const [csvDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-scores').click()]);
    expect(csvDownload.suggestedFilename()).toMatch(/\.scores\.csv$/);
    const csv = (await text(csvDownload)).trim().split('\n');
    expect(csv[0]).toBe('image,label,residual');
    expect(csv).toHaveLength(9);
    const browserScores = new Map(csv.slice(1).map((l) => [l.split(',')[0]!, Number(l.split(',')[2])]));

    // HTML report: self-contained, escaped name, inline plots and thumbnails.
    const [reportDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-report').click()]);
    const html = await text(reportDownload);
    expect(html).toContain('<h1>Results &lt;e2e&gt; &amp; &quot;round trip&quot;</h1>');
    expect(html).toContain('data:image/png;base64,');
    expect(html).toContain('<td>roc</td><td>residual max</td>');
    expect(html).not.toMatch(/<script|src="http/);

    // Plots: the ROC as SVG and as PNG.
    await page.getByTestId('open-plots').click();
    const rocRow = page.getByTestId('plot-roc-roc');
    const [svgDownload] = await Promise.all([page.waitForEvent('download'), rocRow.getByTestId('plot-svg').click()]);
    expect(svgDownload.suggestedFilename()).toMatch(/roc-roc\.svg$/);
    expect(await text(svgDownload)).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    const [pngDownload] = await Promise.all([page.waitForEvent('download'), rocRow.getByTestId('plot-png').click()]);
    expect((await bytes(pngDownload)).subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    await page.getByRole('dialog').getByRole('button', { name: 'Close' }).click();
    await openResults();

    // Detector zip → unzip → kizuki score on the same folder gives the browser's scores.
    const [zipDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-detector').click()]);
    expect(zipDownload.suggestedFilename()).toMatch(/-residual\.detector\.zip$/);
    const detectorDir = join(dir, 'detector');
    mkdirSync(detectorDir);
    writeFileSync(join(dir, 'detector.zip'), await bytes(zipDownload));
    execFileSync('unzip', ['-q', join(dir, 'detector.zip'), '-d', detectorDir]);
    const scored = join(dir, 'scored.csv');
    execFileSync(process.execPath, [join(repo, 'bin/kizuki.mjs'), 'score', detectorDir, root, '--out', scored, '--backend', 'cpu', '--quiet'], { cwd: repo, stdio: 'pipe' });
    const rows = readFileSync(scored, 'utf8').trim().split('\n');
    expect(rows[0]).toBe('image,label,score,anomalous');
    expect(rows).toHaveLength(9);
    for (const row of rows.slice(1)) {
      const [name, , score] = row.split(',');
      expect(Number(score), name).toBeCloseTo(browserScores.get(`xray/${name}`) ?? browserScores.get(name!)!, 5);
    }

    // Export carries the data manifest; importing it again and exporting gives the same file.
    const [exported] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export').click()]);
    const first = await text(exported);
    const doc = JSON.parse(first);
    const testSet = doc.dataManifest.imageSets.find((s: { nodeId: string }) => s.nodeId === 'test-data');
    expect(testSet).toMatchObject({ source: 'xray', count: 8, perClass: { NORMAL: 4, PNEUMONIA: 4 }, skipped: [{ name: 'NORMAL/broken.png' }] });
    expect(testSet.contentHash).toMatch(/^[0-9a-f]{16}$/);
    expect(JSON.stringify(doc)).not.toContain('base64');

    await page.getByTestId('import-input').setInputFiles({ name: 'exported.json', mimeType: 'application/json', buffer: Buffer.from(first) });
    await page.getByTestId('confirm-replace').click();
    await expect(editor.notice).toContainText('Exported after a run on: "test-data": 8 files from xray');
    await expect(editor.notice).toContainText(testSet.contentHash);
    const [again] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export').click()]);
    expect(JSON.parse(await text(again))).toEqual(doc);

    // Re-running on the same data: the data check says it matches.
    await editor.runButton.click();
    await expect(editor.runStatus).toHaveAttribute('data-phase', 'done', { timeout: 240_000 });
    await expect(page.getByTestId('data-check')).toHaveAttribute('data-status', 'matches');
    await expect(editor.notice).toContainText('Your data matches');
    await expect(editor.notice).toContainText('"test-data" was run on 8 files');

    // A tampered manifest is rejected with the field, and nothing changes.
    const bad = structuredClone(doc);
    bad.dataManifest.imageSets[0].contentHash = 'not-a-hash';
    await page.getByTestId('import-input').setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(bad)) });
    await expect(editor.notice).toContainText('bad.json is not a valid Kizuki pipeline. Nothing was changed.');
    await expect(editor.notice).toContainText('dataManifest.imageSets.0.contentHash: must be 16 hex digits');
    await expect(editor.node('test-data')).toHaveAttribute('data-status', /done|cached/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
