import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryIO } from '../../workers/engine/browser-io';
import { createNodeIO } from '../../workers/engine/node-io';
import { KizukiError } from '../core/errors';
import { isImageFile, listSources, parseCsv, type SourceParams } from './sources';

const base: SourceParams = { path: '', normalClass: 'auto', split: '', include: 'all', limit: 0, seed: 0 };

async function codeOf(p: Promise<unknown>): Promise<{ code: string; field?: string; message: string }> {
  try {
    await p;
  } catch (err) {
    if (err instanceof KizukiError) return { code: err.info.code, field: err.info.field, message: err.message };
    throw err;
  }
  throw new Error('expected a KizukiError');
}

const blob = (text = 'x') => new Blob([text]);

describe('listSources on a folder (Node fs)', () => {
  let root: string;
  const io = createNodeIO();
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'kizuki-sources-'));
    const files = [
      'train/NORMAL/a.png',
      'train/NORMAL/b.jpeg',
      'train/NORMAL/c.JPG',
      'train/NORMAL/notes.txt',
      'train/NORMAL/.DS_Store',
      'train/NORMAL/._a.png',
      'train/PNEUMONIA/d.png',
      'train/PNEUMONIA/e.png',
      'test/NORMAL/f.png',
      'test/PNEUMONIA/g.png',
    ];
    for (const f of files) {
      mkdirSync(join(root, f, '..'), { recursive: true });
      writeFileSync(join(root, f), 'x');
    }
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('reads class folders, ignoring non-images and dotfiles', async () => {
    const r = await listSources({ ...base, path: join(root, 'train') }, io, 'n');
    expect(r.layout).toBe('classes');
    expect(r.entries.map((e) => e.name)).toEqual(['NORMAL/a.png', 'NORMAL/b.jpeg', 'NORMAL/c.JPG', 'PNEUMONIA/d.png', 'PNEUMONIA/e.png']);
    expect(r.entries.map((e) => e.label)).toEqual([0, 0, 0, 1, 1]);
    expect(r.classes).toEqual(['NORMAL', 'PNEUMONIA']);
    expect(r.hasMasks).toBe(false);
  });

  it('lists DICOM files: .dcm/.dicom, no extension or a UID-like numeric one; never DICOMDIR', () => {
    for (const name of ['a.dcm', 'b.DICOM', 'c.dic', 'IM0001', '1.2.840.113619.2.55.3']) expect(isImageFile(name)).toBe(true);
    for (const name of ['DICOMDIR', 'notes.txt', '.hidden', 'x.json', '._a.dcm']) expect(isImageFile(name)).toBe(false);
  });

  it('takes path/split when split is set, and merges all splits when it is empty', async () => {
    const all = await listSources({ ...base, path: root }, io, 'n');
    expect(all.layout).toBe('splits');
    expect(all.entries.map((e) => e.name)).toEqual([
      'test/NORMAL/f.png',
      'test/PNEUMONIA/g.png',
      'train/NORMAL/a.png',
      'train/NORMAL/b.jpeg',
      'train/NORMAL/c.JPG',
      'train/PNEUMONIA/d.png',
      'train/PNEUMONIA/e.png',
    ]);
    const test = await listSources({ ...base, path: root, split: 'test' }, io, 'n');
    expect(test.entries.map((e) => [e.name, e.label])).toEqual([
      ['test/NORMAL/f.png', 0],
      ['test/PNEUMONIA/g.png', 1],
    ]);
    expect(test.entries[0]!.path).toBe(join(root, 'test', 'NORMAL', 'f.png'));
    const bad = await codeOf(listSources({ ...base, path: root, split: 'val' }, io, 'n'));
    expect(bad).toMatchObject({ code: 'INVALID_PARAM', field: 'split' });
    expect(bad.message).toContain('test, train');
  });

  it('applies normalClass, include and a seeded limit', async () => {
    const p = { ...base, path: join(root, 'train') };
    const flipped = await listSources({ ...p, normalClass: 'PNEUMONIA' }, io, 'n');
    expect(flipped.entries.map((e) => e.label)).toEqual([1, 1, 1, 0, 0]);
    const normals = await listSources({ ...p, include: 'normal' }, io, 'n');
    expect(normals.entries.map((e) => e.className)).toEqual(['NORMAL', 'NORMAL', 'NORMAL']);
    const anomalous = await listSources({ ...p, include: 'anomalous' }, io, 'n');
    expect(anomalous.entries.map((e) => e.name)).toEqual(['PNEUMONIA/d.png', 'PNEUMONIA/e.png']);

    const a = await listSources({ ...p, limit: 3, seed: 5 }, io, 'n');
    const b = await listSources({ ...p, limit: 3, seed: 5 }, io, 'n');
    expect(a.entries).toHaveLength(3);
    expect(a.entries).toEqual(b.entries);
    // The sample keeps the listing order.
    const order = ['NORMAL/a.png', 'NORMAL/b.jpeg', 'NORMAL/c.JPG', 'PNEUMONIA/d.png', 'PNEUMONIA/e.png'];
    const idx = a.entries.map((e) => order.indexOf(e.name));
    expect(idx).toEqual([...idx].sort((x, y) => x - y));
    const seeds = new Set<string>();
    for (let seed = 0; seed < 8; seed++) {
      seeds.add((await listSources({ ...p, limit: 3, seed }, io, 'n')).entries.map((e) => e.name).join());
    }
    expect(seeds.size).toBeGreaterThan(1);
  });

  it('rejects a normalClass that names no class, listing the classes found', async () => {
    const err = await codeOf(listSources({ ...base, path: join(root, 'train'), normalClass: 'HEALTHY' }, io, 'n'));
    expect(err).toMatchObject({ code: 'INVALID_PARAM', field: 'normalClass' });
    expect(err.message).toContain('NORMAL, PNEUMONIA');
  });

  it('treats a plain folder of images as one class named after the folder', async () => {
    const r = await listSources({ ...base, path: join(root, 'train', 'NORMAL') }, io, 'n');
    expect(r.layout).toBe('flat');
    expect(r.entries.map((e) => [e.name, e.label])).toEqual([
      ['a.png', 0],
      ['b.jpeg', 0],
      ['c.JPG', 0],
    ]);
    const unknown = await listSources({ ...base, path: join(root, 'train', 'PNEUMONIA') }, io, 'n');
    expect(unknown.entries.every((e) => e.label === -1)).toBe(true);
  });

  it('maps an empty or missing path to INVALID_PARAM / FILE_NOT_FOUND', async () => {
    expect(await codeOf(listSources({ ...base, path: '' }, io, 'n'))).toMatchObject({ code: 'INVALID_PARAM', field: 'path' });
    const missing = await codeOf(listSources({ ...base, path: join(root, 'nope') }, io, 'n'));
    expect(missing.code).toBe('FILE_NOT_FOUND');
    expect(missing.message).toContain(join(root, 'nope'));
  });
});

describe('listSources on a CSV (memory IO)', () => {
  const csv = [
    'path,label,split,subtype,mask',
    'train/NORMAL/a.png,0,train,normal,',
    'train/PNEUMONIA/b.png,1,train,bacteria,masks/b.png',
    '"test/NORMAL/c,1.png",0,test,normal,',
    'test/PNEUMONIA/d.png,1,test,virus,masks/d.png',
    '',
  ].join('\r\n');
  const files = new Map<string, Blob>([
    ['data/labels.csv', blob(csv)],
    ['data/train/NORMAL/a.png', blob()],
    ['data/train/PNEUMONIA/b.png', blob()],
    ['data/test/NORMAL/c,1.png', blob()],
    ['data/test/PNEUMONIA/d.png', blob()],
    ['data/masks/b.png', blob()],
    ['data/masks/d.png', blob()],
  ]);
  const io = createMemoryIO(files);

  it('reads path,label,split,mask columns relative to the CSV folder', async () => {
    const r = await listSources({ ...base, path: 'data/labels.csv' }, io, 'n');
    expect(r.layout).toBe('csv');
    expect(r.hasMasks).toBe(true);
    expect(r.entries).toEqual([
      { path: 'data/train/NORMAL/a.png', name: 'train/NORMAL/a.png', className: '0', label: 0 },
      { path: 'data/train/PNEUMONIA/b.png', name: 'train/PNEUMONIA/b.png', className: '1', label: 1, maskPath: 'data/masks/b.png' },
      { path: 'data/test/NORMAL/c,1.png', name: 'test/NORMAL/c,1.png', className: '0', label: 0 },
      { path: 'data/test/PNEUMONIA/d.png', name: 'test/PNEUMONIA/d.png', className: '1', label: 1, maskPath: 'data/masks/d.png' },
    ]);
  });

  it('filters by the split column and names the splits when none match', async () => {
    const r = await listSources({ ...base, path: 'data/labels.csv', split: 'test', include: 'anomalous' }, io, 'n');
    expect(r.entries.map((e) => e.name)).toEqual(['test/PNEUMONIA/d.png']);
    const bad = await codeOf(listSources({ ...base, path: 'data/labels.csv', split: 'val' }, io, 'n'));
    expect(bad).toMatchObject({ code: 'INVALID_PARAM', field: 'split' });
    expect(bad.message).toContain('test, train');
  });

  it('accepts class-name labels and an explicit normalClass', async () => {
    const io2 = createMemoryIO(new Map([['l.csv', blob('label,path\nok,x.png\nscratch,y.png\ncrack,z.png\n')]]));
    const auto = await listSources({ ...base, path: 'l.csv' }, io2, 'n');
    expect(auto.entries.map((e) => e.label)).toEqual([0, 1, 1]);
    const explicit = await listSources({ ...base, path: 'l.csv', normalClass: 'scratch' }, io2, 'n');
    expect(explicit.entries.map((e) => e.label)).toEqual([1, 0, 1]);
    const wrong = await codeOf(listSources({ ...base, path: 'l.csv', normalClass: 'OK' }, io2, 'n'));
    expect(wrong.message).toContain('crack, ok, scratch');
  });

  it('rejects a CSV without path/label columns, or a split without a split column', async () => {
    const io2 = createMemoryIO(new Map([['a.csv', blob('file,class\nx.png,0\n')], ['b.csv', blob('path,label\nx.png,0\n')]]));
    expect(await codeOf(listSources({ ...base, path: 'a.csv' }, io2, 'n'))).toMatchObject({ code: 'INVALID_PARAM', field: 'path' });
    expect(await codeOf(listSources({ ...base, path: 'b.csv', split: 'train' }, io2, 'n'))).toMatchObject({
      code: 'INVALID_PARAM',
      field: 'split',
    });
  });
});

describe('parseCsv', () => {
  it('handles quotes, escaped quotes, CRLF, a BOM and blank lines', () => {
    expect(parseCsv('\ufeffa,b\r\n"x ""y""",2\n\n"multi\nline",3')).toEqual([
      ['a', 'b'],
      ['x "y"', '2'],
      ['multi\nline', '3'],
    ]);
  });
});

describe('createMemoryIO', () => {
  const files = new Map<string, Blob>([
    ['chest_xray/train/NORMAL/a.jpeg', blob('aa')],
    ['chest_xray/train/PNEUMONIA/b.jpeg', blob('bbb')],
    ['chest_xray/readme.txt', blob('hi')],
  ]);
  const io = createMemoryIO(files);

  it('derives folders from key prefixes', async () => {
    expect(await io.list('chest_xray')).toEqual([
      { name: 'readme.txt', isDir: false },
      { name: 'train', isDir: true },
    ]);
    expect(await io.list('')).toEqual([{ name: 'chest_xray', isDir: true }]);
    expect(await io.isDir('chest_xray/train')).toBe(true);
    expect(await io.isDir('chest_xray/readme.txt')).toBe(false);
    expect(await io.exists('chest_xray/train/NORMAL/a.jpeg')).toBe(true);
    expect(await io.exists('chest_xray/val')).toBe(false);
    await expect(io.list('chest_xray/val')).rejects.toThrow(/chest_xray\/val does not exist/);
    await expect(io.readBytes('nope.png')).rejects.toBeInstanceOf(KizukiError);
  });

  it('reads bytes and text, joins and takes dirnames', async () => {
    expect(Array.from(await io.readBytes('./chest_xray//train/NORMAL/a.jpeg'))).toEqual([97, 97]);
    expect(await io.readText('chest_xray/readme.txt')).toBe('hi');
    expect(io.join('chest_xray', 'train', '../test', 'x.png')).toBe('chest_xray/test/x.png');
    expect(io.dirname('chest_xray/labels.csv')).toBe('chest_xray');
    expect(io.dirname('labels.csv')).toBe('');
  });

  it('fingerprints the file set under a prefix', async () => {
    const before = await io.fingerprint('chest_xray/train');
    const changed = createMemoryIO(new Map([...files, ['chest_xray/train/NORMAL/a.jpeg', blob('aaaa')]]));
    expect(await changed.fingerprint('chest_xray/train')).not.toBe(before);
    // Files outside the prefix do not matter.
    const other = createMemoryIO(new Map([...files, ['chest_xray/readme.txt', blob('longer text')]]));
    expect(await other.fingerprint('chest_xray/train')).toBe(before);
  });
});

describe('createNodeIO', () => {
  it('fingerprints folders by their files, and names missing paths', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kizuki-nodeio-'));
    try {
      const io = createNodeIO();
      mkdirSync(join(dir, 'sub'));
      writeFileSync(join(dir, 'sub', 'a.png'), 'x');
      const before = await io.fingerprint(dir);
      writeFileSync(join(dir, 'sub', 'a.png'), 'xyz');
      expect(await io.fingerprint(dir)).not.toBe(before);
      expect(await io.fingerprint(join(dir, 'gone'))).toBe('missing');
      expect(await io.list(dir)).toEqual([{ name: 'sub', isDir: true }]);
      await expect(io.list(join(dir, 'gone'))).rejects.toThrow(join(dir, 'gone'));
      await expect(io.readBytes(join(dir, 'gone.png'))).rejects.toThrow(/does not exist/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
