/**
 * DataIO over files the user picked or dropped in the browser, keyed by relative path
 * (e.g. "chest_xray/train/NORMAL/a.jpeg" from webkitRelativePath). Folders exist only as key prefixes.
 * No Node imports: this runs in the web worker (and in unit tests, where Blob is global too).
 */
import { KizukiError } from '../../graph-nodes/core/errors';
import { hashValue } from '../../graph-nodes/core/hash';
import type { DataIO } from '../../graph-nodes/core/kernel-types';

/** POSIX-style normalisation: backslashes → '/', drop '.', '' and leading '/', resolve '..'. */
export function normalizePath(p: string): string {
  const out: string[] = [];
  for (const part of p.replace(/\\/g, '/').split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return out.join('/');
}

export function createMemoryIO(files: Map<string, Blob>): DataIO {
  const byPath = new Map<string, Blob>();
  for (const [key, blob] of files) byPath.set(normalizePath(key), blob);
  const paths = [...byPath.keys()].sort();

  const prefixOf = (dir: string) => {
    const d = normalizePath(dir);
    return d === '' ? '' : `${d}/`;
  };
  const isDir = (dir: string) => {
    const prefix = prefixOf(dir);
    return prefix === '' ? paths.length > 0 : paths.some((p) => p.startsWith(prefix));
  };
  const blobAt = (p: string): Blob => {
    const blob = byPath.get(normalizePath(p));
    if (!blob) throw new KizukiError('FILE_NOT_FOUND', { nodeId: '?', path: p });
    return blob;
  };

  return {
    readBytes: async (p) => new Uint8Array(await blobAt(p).arrayBuffer()),
    readText: async (p) => blobAt(p).text(),
    list: async (dir) => {
      if (!isDir(dir)) throw new KizukiError('FILE_NOT_FOUND', { nodeId: '?', path: dir });
      const prefix = prefixOf(dir);
      const entries = new Map<string, boolean>();
      for (const p of paths) {
        if (!p.startsWith(prefix)) continue;
        const rest = p.slice(prefix.length);
        const slash = rest.indexOf('/');
        const name = slash < 0 ? rest : rest.slice(0, slash);
        entries.set(name, (entries.get(name) ?? false) || slash >= 0);
      }
      return [...entries]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([name, dirFlag]) => ({ name, isDir: dirFlag }));
    },
    exists: async (p) => byPath.has(normalizePath(p)) || isDir(p),
    isDir: async (p) => isDir(p),
    fingerprint: async (p) => {
      const file = byPath.get(normalizePath(p));
      if (file) return hashValue([normalizePath(p), file.size]);
      const prefix = prefixOf(p);
      const under = paths.filter((q) => q.startsWith(prefix)).map((q) => [q, byPath.get(q)!.size]);
      return under.length ? hashValue(under) : 'missing';
    },
    join: (...parts) => normalizePath(parts.join('/')),
    dirname: (p) => {
      const n = normalizePath(p);
      const slash = n.lastIndexOf('/');
      return slash < 0 ? '' : n.slice(0, slash);
    },
  };
}
