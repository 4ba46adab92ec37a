import { encode as encodePng } from 'fast-png';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { generatePhantom, phantomPlan } from '../graph-nodes/image-set/phantoms';
import { main } from './main';
import { loadDetectorDir, parseScoreArgs, scoredCsv } from './score';

function capture() {
  const lines = { out: [] as string[], err: [] as string[] };
  return { lines, io: { log: (s: string) => lines.out.push(s), err: (s: string) => lines.err.push(s) } };
}

/** Phantoms as 8-bit PNGs in NORMAL/ and ANOMALY/ class folders, plus one corrupt file. */
async function writePhantomFolder(dir: string, size: number): Promise<void> {
  for (const spec of phantomPlan({ normals: 5, anomalies: 5, kinds: ['nodule', 'opacity', 'mirrored', 'inverted'] })) {
    const { image } = generatePhantom({ seed: 7, index: spec.index, kind: spec.kind, size });
    const data = Uint8Array.from(image, (v) => Math.round(v * 255));
    const cls = spec.label === 0 ? 'NORMAL' : 'ANOMALY';
    await mkdir(path.join(dir, cls), { recursive: true });
    await writeFile(path.join(dir, cls, spec.name), encodePng({ width: size, height: size, data, channels: 1, depth: 8 }));
  }
  await writeFile(path.join(dir, 'NORMAL', 'broken.png'), 'not a png');
}

/** scores.csv → image name → value of one column. */
function column(csv: string, name: string): Map<string, number> {
  const [header, ...rows] = csv.trim().split('\n');
  const idx = header!.split(',').indexOf(name);
  expect(idx, `column ${name} in ${header}`).toBeGreaterThan(0);
  return new Map(rows.map((r) => [r.split(',')[0]!, Number(r.split(',')[idx])]));
}

const tiny = [
  '--set', 'train-data.normals=12', '--set', 'train-data.size=32',
  '--set', 'ae.epochs=1', '--set', 'ae.channels=4,8',
  '--backend', 'cpu', '--quiet',
];

describe('kizuki run --detector and kizuki score', () => {
  let images = '';
  /** A working detector folder from the cases below (tests in a file run in order). */
  let someDetector = '';
  beforeAll(async () => {
    images = await mkdtemp(path.join(os.tmpdir(), 'kizuki-score-images-'));
    await writePhantomFolder(images, 32);
  });

  const cases = [
    { template: 'lecture-ae-residual', scorer: 'residual', extra: ['--set', 'residual.blurSigma=1', '--set', 'residual.reduce=topk', '--set', 'residual.topK=5'] },
    { template: 'lecture-ae-latent', scorer: 'latent', extra: [] },
    { template: 'lecture-ae-latent', scorer: 'latent', extra: ['--set', 'latent.metric=mahalanobis'] },
    { template: 'lecture-ae-residual', scorer: 'residual', extra: ['--set', 'train-data.grayscale=false', '--set', 'test-data.grayscale=false'] },
  ];
  for (const { template, scorer, extra } of cases) {
    it(`${template} ${extra.join(' ')}: kizuki score gives the run's scores on the same PNGs`, async () => {
      const out = await mkdtemp(path.join(os.tmpdir(), 'kizuki-score-run-'));
      const run = capture();
      const setTest = ['--set', 'test-data.source=folder', '--set', `test-data.path=${images}`, '--set', 'test-data.size=32'];
      const code = await main(['run', '--template', template, ...tiny, ...setTest, ...extra, '--out', out, '--detector', '--report'], run.io);
      expect(code, run.lines.err.join('\n')).toBe(0);
      const detectorDir = path.join(out, `detector-${scorer}`);
      someDetector = detectorDir;
      expect(run.lines.out.join('\n')).toContain(detectorDir);
      const expected = column(await readFile(path.join(out, 'scores.csv'), 'utf8'), scorer);
      expect(expected.size).toBe(10);
      // The run's data manifest and report come along.
      const manifest = JSON.parse(await readFile(path.join(out, 'data-manifest.json'), 'utf8'));
      const testSet = manifest.imageSets.find((m: { nodeId: string }) => m.nodeId === 'test-data');
      expect(testSet).toMatchObject({ source: images, count: 10, perClass: { NORMAL: 5, ANOMALY: 5 }, labels: { normal: 5, anomalous: 5, unlabelled: 0 } });
      expect(testSet.skipped).toEqual([{ name: 'NORMAL/broken.png', reason: expect.any(String) }]);
      expect(testSet.contentHash).toMatch(/^[0-9a-f]{16}$/);
      const report = await readFile(path.join(out, 'report.html'), 'utf8');
      expect(report).toMatch(/^<!doctype html>/);
      expect(report).toContain('data:image/png;base64,');
      expect(report).toContain('<h2>Metrics</h2><table>');
      expect(report).not.toMatch(/<script|src="http/);

      const s = capture();
      const scoresFile = path.join(out, 'scored', 'scores.csv');
      const numTensors = tf.memory().numTensors;
      expect(await main(['score', detectorDir, images, '--out', scoresFile, '--backend', 'cpu'], s.io), s.lines.err.join('\n')).toBe(0);
      expect(tf.memory().numTensors).toBe(numTensors);
      const text = await readFile(scoresFile, 'utf8');
      expect(text.split('\n')[0]).toBe('image,label,score,anomalous');
      const got = column(text, 'score');
      expect([...got.keys()].sort()).toEqual([...expected.keys()].sort());
      // Same backend, same functions, same batches: bit-for-bit the same scores.
      for (const [name, value] of expected) expect(got.get(name), name).toBe(value);
      // Labels from the class folders, and the corrupt file skipped and counted.
      expect(column(text, 'label').get('ANOMALY/phantom-0005-nodule.png')).toBe(1);
      expect(s.lines.err.join('\n')).toMatch(/skipped NORMAL\/broken\.png/);
      expect(s.lines.err.join('\n')).toMatch(/scored 10 images \(1 skipped, \d+ at or above the threshold/);

      // Without --out the CSV goes to stdout.
      const stdout = capture();
      expect(await main(['score', detectorDir, images, '--quiet', '--backend', 'cpu'], stdout.io)).toBe(0);
      expect(`${stdout.lines.out.join('\n')}\n`).toBe(text);

      const spec = JSON.parse(await readFile(path.join(detectorDir, 'detector.json'), 'utf8'));
      const grey = !extra.includes('test-data.grayscale=false');
      expect(spec).toMatchObject({ format: 'kizuki.detector', version: 1, preprocessing: { size: 32, grayscale: grey }, model: { inputShape: [32, 32, grey ? 1 : 3] } });
      // No threshold node: latent distance uses the node's normal radius r, residual the 95th percentile of the
      // training images' scores; the anomalous column follows the threshold.
      expect(spec.threshold.source).toMatch(scorer === 'latent' ? /normal radius r \(95th percentile/ : /95th percentile of the 12 training images' scores/);
      const flags = column(text, 'anomalous');
      for (const [name, v] of got) expect(flags.get(name)).toBe(v >= spec.threshold.value ? 1 : 0);
    });
  }

  it('a threshold node downstream of the scorer becomes the detector threshold', async () => {
    const out = await mkdtemp(path.join(os.tmpdir(), 'kizuki-score-thr-'));
    const t = capture();
    expect(await main(['template', 'lecture-ae-residual'], t.io)).toBe(0);
    const doc = JSON.parse(t.lines.out.join('\n'));
    doc.nodes.push({ id: 'thr', type: 'threshold', typeVersion: 1, params: { method: 'fixed', value: 0.25 }, position: { x: 0, y: 0 } });
    doc.edges.push({ id: 'e-thr', source: 'residual', sourcePort: 'scores', target: 'thr', targetPort: 'scores' });
    const file = path.join(out, 'p.json');
    await writeFile(file, JSON.stringify(doc));
    const run = capture();
    const code = await main(['run', file, ...tiny, '--set', 'test-data.size=32', '--set', 'test-data.normals=4', '--set', 'test-data.anomalies=4', '--out', out, '--detector'], run.io);
    expect(code, run.lines.err.join('\n')).toBe(0);
    const spec = JSON.parse(await readFile(path.join(out, 'detector-residual', 'detector.json'), 'utf8'));
    expect(spec.threshold).toEqual({ value: 0.25, source: 'threshold node "thr" (fixed)' });

    // The same pipeline carrying this run's data manifest: a re-run says whether the data match.
    const manifest = JSON.parse(await readFile(path.join(out, 'data-manifest.json'), 'utf8'));
    manifest.imageSets[1].contentHash = '0000000000000000';
    await writeFile(file, JSON.stringify({ ...doc, dataManifest: manifest }));
    const again = capture();
    const args = ['run', file, ...tiny, '--set', 'test-data.size=32', '--set', 'test-data.normals=4', '--set', 'test-data.anomalies=4', '--out', out];
    expect(await main(args, again.io), again.lines.err.join('\n')).toBe(0);
    expect(again.lines.out).toContain(`data: "train-data" was run on 12 files (hash ${manifest.imageSets[0].contentHash}); your data matches`);
    expect(again.lines.out.join('\n')).toMatch(/data: "test-data" was run on 8 files \(hash 0000000000000000\); your data differs: 8 files, hash [0-9a-f]{16} \(same file names, different content or params\)/);
  });

  it('--detector on a pipeline without a supported scorer says which scorers are supported', async () => {
    const out = await mkdtemp(path.join(os.tmpdir(), 'kizuki-score-none-'));
    const c = capture();
    const code = await main(
      ['run', '--template', 'lecture-deep-svdd', '--set', 'train-data.normals=8', '--set', 'train-data.size=32', '--set', 'test-data.size=32',
        '--set', 'test-data.normals=4', '--set', 'test-data.anomalies=4', '--set', 'svdd.epochs=1', '--backend', 'cpu', '--quiet', '--out', out, '--detector'],
      c.io,
    );
    expect(c.lines.err.join('\n')).toMatch(/no detector for svdd \(deep-svdd\): detectors support residual-max and latent-distance/);
    expect(c.lines.err.join('\n')).toMatch(/no residual-max or latent-distance scorer/);
    expect(code).toBe(1);
  });

  it('rejects broken detector folders and bad arguments with the file and field', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'kizuki-score-bad-'));
    const c = capture();
    expect(await main(['score', dir, images, '--backend', 'cpu'], c.io)).toBe(2);
    expect(c.lines.err.join('\n')).toMatch(/detector\.json not found/);

    await writeFile(path.join(dir, 'detector.json'), JSON.stringify({ format: 'kizuki.detector', version: 1, scorer: { type: 'padim' } }));
    await expect(loadDetectorDir(dir)).rejects.toThrow(/detector\.json: scorer\.type: .*residual-max.*latent-distance|detector\.json: createdAt/);
    const d = capture();
    expect(await main(['score', dir, images, '--backend', 'cpu'], d.io)).toBe(2);
    expect(d.lines.err.join('\n')).toMatch(/not a usable detector: detector\.json: /);

    // A tampered model.json cannot make score read outside the detector folder.
    const tampered = await mkdtemp(path.join(os.tmpdir(), 'kizuki-score-tampered-'));
    for (const f of ['detector.json', 'model/model.json', 'model/weights.bin']) {
      await mkdir(path.dirname(path.join(tampered, f)), { recursive: true });
      await writeFile(path.join(tampered, f), await readFile(path.join(someDetector, f)));
    }
    const modelJson = JSON.parse(await readFile(path.join(tampered, 'model/model.json'), 'utf8'));
    modelJson.weightsManifest[0].paths = ['../../etc/passwd'];
    await writeFile(path.join(tampered, 'model/model.json'), JSON.stringify(modelJson));
    await expect(loadDetectorDir(tampered)).rejects.toThrow(/model\/model\.json could not be loaded \(weights path "\.\.\/\.\.\/etc\/passwd" must be a file name next to model\.json\)/);

    const e = capture();
    expect(await main(['score', someDetector, path.join(dir, 'no-such-folder'), '--backend', 'cpu'], e.io)).toBe(2);
    expect(e.lines.err.join('\n')).toMatch(/IMAGES_DIR .*no-such-folder does not exist/);

    expect(() => parseScoreArgs(['only-one'])).toThrow(/needs DETECTOR_DIR and IMAGES_DIR/);
    expect(() => parseScoreArgs(['a', 'b', '--backend', 'gpu'])).toThrow(/--backend must be wasm or cpu/);
    expect(() => parseScoreArgs(['a', 'b', '--frobnicate'])).toThrow(/unknown option --frobnicate/);
  });

  it('writes the CSV with an anomalous column only when there is a threshold, quoting odd names', () => {
    const rows = [
      { name: 'a,b.png', label: 0, score: 0.1 },
      { name: 'c.png', label: 1, score: 0.5 },
    ];
    expect(scoredCsv(rows, null)).toBe('image,label,score\n"a,b.png",0,0.1\nc.png,1,0.5\n');
    expect(scoredCsv(rows, 0.5)).toBe('image,label,score,anomalous\n"a,b.png",0,0.1,0\nc.png,1,0.5,1\n');
  });
});
