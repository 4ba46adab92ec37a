/**
 * Which files an image-set node loads, and with which labels (no pixels, no tfjs).
 * Layouts: a folder with one subfolder per class (optionally under split folders: train/NORMAL, test/PNEUMONIA),
 * a single folder of images, or a CSV with path,label[,split][,mask] columns (paths relative to the CSV).
 */
import { KizukiError } from '../core/errors';
import type { DataIO } from '../core/kernel-types';
import { createRng, shuffledIndices } from '../core/random';

export type SourceEntry = {
  /** Path to hand to DataIO. */
  path: string;
  /** Display name: the path relative to the data folder (or as written in the CSV). */
  name: string;
  /** 0 normal, 1 anomalous, -1 unknown. */
  label: -1 | 0 | 1;
  className: string;
  maskPath?: string;
};

export type SourceListing = {
  entries: SourceEntry[];
  /** All labelled classes in the source (every split, before include/limit), sorted. */
  classes: string[];
  /** CSV with a mask column: the node outputs masks (zeros where a row has none). */
  hasMasks: boolean;
  layout: 'classes' | 'splits' | 'flat' | 'csv';
};

export type SourceParams = {
  path: string;
  normalClass: string;
  split: string;
  include: 'all' | 'normal' | 'anomalous';
  limit: number;
  seed: number;
};

const IMAGE_EXT = /\.(png|jpe?g|dcm|dicom|dic)$/i;
/** DICOM files often have no extension (IM0001) or end in a UID's last number (1.2.840.1.7). */
const DICOM_LIKE = /^[^.]+$|\.\d+$/;
const AUTO_NORMAL = /^(normal|good|ok|0)$/i;

export function isImageFile(name: string): boolean {
  // Dotfiles include macOS "._x.jpeg" resource forks, which are not images.
  // DICOMDIR is a DICOM media index, never an image.
  if (name.startsWith('.') || name.toUpperCase() === 'DICOMDIR') return false;
  return IMAGE_EXT.test(name) || DICOM_LIKE.test(name);
}

export function isNormalClass(className: string, normalClass: string): boolean {
  const c = className.trim();
  return normalClass === 'auto' ? AUTO_NORMAL.test(c) : c === normalClass.trim();
}

const isAbsolute = (p: string) => /^([a-zA-Z]:[\\/]|[\\/])/.test(p);
const basename = (p: string) => p.replace(/[\\/]+$/, '').split(/[\\/]/).pop() ?? p;

export async function listSources(params: SourceParams, io: DataIO, nodeId: string): Promise<SourceListing> {
  const path = params.path.trim();
  if (path === '') throw new KizukiError('INVALID_PARAM', { nodeId, field: 'path', reason: 'is empty: choose a folder or CSV file' });
  if (!(await io.exists(path))) throw new KizukiError('FILE_NOT_FOUND', { nodeId, path });

  const isCsv = /\.csv$/i.test(path) && !(await io.isDir(path));
  const raw = isCsv ? await listCsv(path, params.split, io, nodeId) : await listFolder(path, params.split, io, nodeId);

  // Check normalClass against every split, so a split with anomalies only (e.g. a test set) is not an error.
  const classes = [...new Set([...raw.otherClasses, ...raw.entries.map((e) => e.className)].filter((c) => c !== ''))].sort();
  if (raw.layout !== 'flat' && classes.length > 0 && !classes.some((c) => isNormalClass(c, params.normalClass))) {
    throw new KizukiError('INVALID_PARAM', {
      nodeId,
      field: 'normalClass',
      reason: `"${params.normalClass}" matches no class (found: ${classes.join(', ')})`,
    });
  }
  // A folder of images without classes stays unlabelled unless its name says normal.
  let entries: SourceEntry[] = raw.entries.map((e) => {
    let label: -1 | 0 | 1;
    if (e.className === '') label = -1;
    else if (isNormalClass(e.className, params.normalClass)) label = 0;
    else label = raw.layout === 'flat' ? -1 : 1;
    return { ...e, label };
  });

  if (params.include === 'normal') entries = entries.filter((e) => e.label === 0);
  else if (params.include === 'anomalous') entries = entries.filter((e) => e.label === 1);

  if (params.limit > 0 && entries.length > params.limit) {
    const keep = shuffledIndices(entries.length, createRng(params.seed)).slice(0, params.limit).sort((a, b) => a - b);
    entries = keep.map((i) => entries[i]!);
  }
  return { entries, classes, hasMasks: raw.hasMasks, layout: raw.layout };
}

type RawEntry = Omit<SourceEntry, 'label'>;
type RawListing = {
  entries: RawEntry[];
  /** Classes seen in splits that were filtered out. */
  otherClasses: string[];
  hasMasks: boolean;
  layout: SourceListing['layout'];
};

// ---------------------------------------------------------------------------------------------------------------
// Folders

/** Image files under dir, recursively, as paths relative to dir (sorted). */
async function imagesUnder(dir: string, io: DataIO, rel = ''): Promise<string[]> {
  const out: string[] = [];
  for (const e of await io.list(rel ? io.join(dir, rel) : dir)) {
    if (e.name.startsWith('.')) continue;
    const child = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDir) out.push(...(await imagesUnder(dir, io, child)));
    else if (isImageFile(e.name)) out.push(child);
  }
  return out;
}

async function classEntries(root: string, io: DataIO, namePrefix: string): Promise<RawEntry[]> {
  const out: RawEntry[] = [];
  for (const d of await io.list(root)) {
    if (!d.isDir || d.name.startsWith('.')) continue;
    const dir = io.join(root, d.name);
    for (const rel of await imagesUnder(dir, io)) {
      out.push({ path: io.join(dir, rel), name: `${namePrefix}${d.name}/${rel}`, className: d.name });
    }
  }
  return out;
}

/** Split folders hold only class folders; class folders hold images directly. */
async function looksLikeSplits(root: string, dirs: string[], io: DataIO): Promise<boolean> {
  if (dirs.length === 0) return false;
  for (const d of dirs) {
    const inner = await io.list(io.join(root, d));
    // Only named image files count here: a stray LICENSE should not turn split folders into classes.
    if (inner.some((e) => !e.isDir && IMAGE_EXT.test(e.name))) return false;
    if (!inner.some((e) => e.isDir && !e.name.startsWith('.'))) return false;
  }
  return true;
}

async function listFolder(path: string, split: string, io: DataIO, nodeId: string): Promise<RawListing> {
  const top = await io.list(path);
  const dirs = top.filter((e) => e.isDir && !e.name.startsWith('.')).map((e) => e.name);
  const splitName = split.trim();

  if (splitName !== '' && dirs.includes(splitName)) {
    const otherClasses: string[] = [];
    for (const d of dirs) {
      if (d === splitName) continue;
      for (const e of await io.list(io.join(path, d))) if (e.isDir && !e.name.startsWith('.')) otherClasses.push(e.name);
    }
    const entries = await classEntries(io.join(path, splitName), io, `${splitName}/`);
    return { entries, otherClasses, hasMasks: false, layout: 'classes' };
  }
  const splits = await looksLikeSplits(path, dirs, io);
  if (splits) {
    if (splitName !== '') {
      throw new KizukiError('INVALID_PARAM', {
        nodeId,
        field: 'split',
        reason: `"${splitName}" names no folder in ${path} (found: ${dirs.join(', ')})`,
      });
    }
    const entries: RawEntry[] = [];
    for (const s of dirs) entries.push(...(await classEntries(io.join(path, s), io, `${s}/`)));
    return { entries, otherClasses: [], hasMasks: false, layout: 'splits' };
  }
  // `path` points straight at class folders (the split filter then has nothing to pick from).
  const entries = await classEntries(path, io, '');
  if (entries.length > 0) return { entries, otherClasses: [], hasMasks: false, layout: 'classes' };
  // No class folders with images: a plain folder of images, its name is the class.
  const cls = basename(path);
  const flat = top.filter((e) => !e.isDir && isImageFile(e.name));
  return {
    entries: flat.map((e) => ({ path: io.join(path, e.name), name: e.name, className: cls })),
    otherClasses: [],
    hasMasks: false,
    layout: 'flat',
  };
}

// ---------------------------------------------------------------------------------------------------------------
// CSV

/** RFC 4180-ish: quoted fields with "" escapes, CRLF or LF, BOM ignored, blank lines dropped. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const s = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (quoted) {
      if (ch === '"') {
        if (s[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && s[i + 1] === '\n') i++;
      row.push(field);
      field = '';
      if (row.some((f) => f.trim() !== '')) rows.push(row);
      row = [];
    } else field += ch;
  }
  row.push(field);
  if (row.some((f) => f.trim() !== '')) rows.push(row);
  return rows;
}

async function listCsv(csvPath: string, split: string, io: DataIO, nodeId: string): Promise<RawListing> {
  const rows = parseCsv(await io.readText(csvPath));
  const header = (rows[0] ?? []).map((h) => h.trim().toLowerCase());
  const col = (name: string) => header.indexOf(name);
  const iPath = col('path');
  const iLabel = col('label');
  const iSplit = col('split');
  const iMask = col('mask');
  if (iPath < 0 || iLabel < 0) {
    throw new KizukiError('INVALID_PARAM', {
      nodeId,
      field: 'path',
      reason: `names a CSV whose header lacks path and label columns (${csvPath}; found: ${header.join(', ') || 'nothing'})`,
    });
  }
  const splitName = split.trim();
  if (splitName !== '' && iSplit < 0) {
    throw new KizukiError('INVALID_PARAM', { nodeId, field: 'split', reason: `is "${splitName}" but ${csvPath} has no split column` });
  }
  const base = io.dirname(csvPath);
  const resolve = (p: string) => (isAbsolute(p) ? p : io.join(base, p));
  const splitsSeen = new Set<string>();
  const otherClasses = new Set<string>();
  const entries: RawEntry[] = [];
  for (const r of rows.slice(1)) {
    const p = (r[iPath] ?? '').trim();
    if (p === '') continue;
    if (iSplit >= 0) {
      const s = (r[iSplit] ?? '').trim();
      splitsSeen.add(s);
      if (splitName !== '' && s !== splitName) {
        otherClasses.add((r[iLabel] ?? '').trim());
        continue;
      }
    }
    const mask = iMask >= 0 ? (r[iMask] ?? '').trim() : '';
    entries.push({
      path: resolve(p),
      name: p,
      className: (r[iLabel] ?? '').trim(),
      ...(mask ? { maskPath: resolve(mask) } : {}),
    });
  }
  if (splitName !== '' && entries.length === 0) {
    throw new KizukiError('INVALID_PARAM', {
      nodeId,
      field: 'split',
      reason: `"${splitName}" matches no row of ${csvPath} (splits found: ${[...splitsSeen].sort().join(', ') || 'none'})`,
    });
  }
  return { entries, otherClasses: [...otherClasses], hasMasks: iMask >= 0, layout: 'csv' };
}
