import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { getTemplate } from '../graph-nodes/templates';
import { main, parseRunArgs } from './main';

function capture() {
  const lines = { out: [] as string[], err: [] as string[] };
  return { lines, io: { log: (s: string) => lines.out.push(s), err: (s: string) => lines.err.push(s) } };
}

const tiny = [
  '--set', 'train-data.normals=16', '--set', 'train-data.size=32',
  '--set', 'test-data.normals=8', '--set', 'test-data.anomalies=8', '--set', 'test-data.size=32',
  '--set', 'ae.epochs=2', '--set', 'ae.channels=4,8',
];

describe('kizuki CLI', () => {
  it('lists templates and prints a template as pipeline JSON', async () => {
    const a = capture();
    expect(await main(['templates'], a.io)).toBe(0);
    expect(a.lines.out.join('\n')).toContain('lecture-ae-residual');
    const b = capture();
    expect(await main(['template', 'lecture-ae-residual'], b.io)).toBe(0);
    expect(JSON.parse(b.lines.out.join('\n'))).toEqual(getTemplate('lecture-ae-residual')!.doc);
  });

  it('runs a template with --set overrides and writes metrics.json, scores.csv and run.json', async () => {
    const out = await mkdtemp(path.join(os.tmpdir(), 'kizuki-cli-'));
    const c = capture();
    const code = await main(['run', '--template', 'lecture-ae-residual', ...tiny, '--backend', 'cpu', '--out', out, '--quiet'], c.io);
    expect(code, c.lines.err.join('\n')).toBe(0);
    const metrics = JSON.parse(await readFile(path.join(out, 'metrics.json'), 'utf8'));
    expect(metrics.roc).toMatchObject({ nNormal: 8, nAnomalous: 8 });
    expect(metrics.roc.auroc).toBeGreaterThanOrEqual(0);
    expect(metrics.roc.auroc).toBeLessThanOrEqual(1);
    expect(typeof metrics.roc.ap).toBe('number');
    const csv = (await readFile(path.join(out, 'scores.csv'), 'utf8')).trim().split('\n');
    expect(csv[0]).toBe('image,label,residual');
    expect(csv).toHaveLength(17);
    const run = JSON.parse(await readFile(path.join(out, 'run.json'), 'utf8'));
    expect(run).toMatchObject({ backend: 'cpu', status: 'done' });
    expect(Object.keys(run.nodes)).toEqual(['train-data', 'test-data', 'ae', 'residual', 'roc']);
    expect(run.peakMemory.rssBytes).toBeGreaterThan(0);
  });

  it('rejects a bad --set with the node, the field and the reason (exit 2)', async () => {
    const out = await mkdtemp(path.join(os.tmpdir(), 'kizuki-cli-'));
    for (const [set, message] of [
      ['ae.epochs=-3', /Node "ae": parameter "epochs" cannot be "-3"/],
      ['ae.nope=1', /node "ae" \(autoencoder\) has no parameter "nope"/],
      ['ghost.size=1', /no node "ghost"/],
      ['train-data.source=ftp', /parameter "source" cannot be "ftp"/],
    ] as const) {
      const c = capture();
      expect(await main(['run', '--template', 'lecture-ae-residual', '--set', set, '--out', out], c.io)).toBe(2);
      expect(c.lines.err.join('\n')).toMatch(message);
    }
  });

  it('rejects invalid pipeline files and missing data folders with clear messages', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'kizuki-cli-'));
    const bad = path.join(dir, 'bad.json');
    await writeFile(bad, JSON.stringify({ format: 'kizuki.pipeline', schemaVersion: 1, name: 'x', nodes: [{ id: 'a', type: 'roc', typeVersion: 1 }], edges: [] }));
    const c = capture();
    expect(await main(['run', bad, '--out', dir], c.io)).toBe(2);
    expect(c.lines.err.join('\n')).toMatch(/Node "a": input "scores" is not connected/);

    const d = capture();
    const code = await main(
      ['run', '--template', 'lecture-ae-residual', '--set', 'train-data.source=folder', '--set', `train-data.path=${dir}/missing`, '--out', dir, '--quiet'],
      d.io,
    );
    expect(code).toBe(1);
    expect(d.lines.err.join('\n')).toMatch(/train-data.*missing.*does not exist/);
  });

  it('parses arguments strictly', () => {
    expect(() => parseRunArgs(['--template', 'x'])).toThrow(/--out DIR is required/);
    expect(() => parseRunArgs(['a.json', '--template', 'x', '--out', 'o'])).toThrow(/either/);
    expect(() => parseRunArgs(['--template', 'x', '--out', 'o', '--backend', 'webgl'])).toThrow(/wasm or cpu/);
    expect(parseRunArgs(['p.json', '--set', 'a.b=1', '--set=c.d=2', '--out', 'o']).sets).toEqual(['a.b=1', 'c.d=2']);
  });
});
