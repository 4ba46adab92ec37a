/**
 * DataIO over the local file system, for the CLI and tests (Node only). Relative paths resolve from the current folder.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { KizukiError } from '../../graph-nodes/core/errors';
import { hashValue } from '../../graph-nodes/core/hash';
import type { DataIO } from '../../graph-nodes/core/kernel-types';

function isMissing(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** Missing files become FILE_NOT_FOUND naming the path; the kernel fills in its node id. */
async function guard<T>(p: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (isMissing(err)) throw new KizukiError('FILE_NOT_FOUND', { nodeId: '?', path: p });
    throw err;
  }
}

async function statOrNull(p: string) {
  try {
    return await stat(p);
  } catch (err) {
    if (isMissing(err)) return null;
    throw err;
  }
}

/** Every file under dir as (relative path, size, mtime), sorted; used to fingerprint folders. */
async function walk(dir: string, rel: string, out: [string, number, number][]): Promise<void> {
  const entries = await readdir(path.join(dir, rel), { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const children = entries.map((e) => (rel ? `${rel}/${e.name}` : e.name));
  const stats = await Promise.all(children.map((c) => statOrNull(path.join(dir, c))));
  for (let i = 0; i < children.length; i++) {
    const st = stats[i];
    const child = children[i]!;
    if (!st) continue;
    if (st.isDirectory()) await walk(dir, child, out);
    else out.push([child, st.size, st.mtimeMs]);
  }
}

export function createNodeIO(): DataIO {
  return {
    readBytes: (p) =>
      guard(p, async () => {
        const buf = await readFile(p);
        return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
      }),
    readText: (p) => guard(p, () => readFile(p, 'utf8')),
    list: (dir) =>
      guard(dir, async () => {
        const entries = await readdir(dir, { withFileTypes: true });
        const out = await Promise.all(
          entries.map(async (e) => {
            // Follow symlinks so a linked data folder lists like a real one.
            const isDir = e.isSymbolicLink() ? ((await statOrNull(path.join(dir, e.name)))?.isDirectory() ?? false) : e.isDirectory();
            return { name: e.name, isDir };
          }),
        );
        return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      }),
    exists: async (p) => (await statOrNull(p)) !== null,
    isDir: async (p) => (await statOrNull(p))?.isDirectory() ?? false,
    fingerprint: async (p) => {
      const st = await statOrNull(p);
      if (!st) return 'missing';
      if (!st.isDirectory()) return `${st.size}-${st.mtimeMs}`;
      // A folder's own mtime misses edits deeper down, so hash the whole file set.
      const files: [string, number, number][] = [];
      await walk(p, '', files);
      return hashValue(files);
    },
    join: (...parts) => path.join(...parts),
    dirname: (p) => path.dirname(p),
  };
}
