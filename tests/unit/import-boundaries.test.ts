/**
 * The dependency directions of STYLE §1: app → graph-nodes/{core,definition,registry,templates};
 * nothing outside workers/, cli/ and kernels imports tfjs; workers/, cli/ and server/ never import React.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../..');

function files(dir: string): string[] {
  const full = path.join(root, dir);
  try {
    statSync(full);
  } catch {
    return [];
  }
  return readdirSync(full, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.(ts|tsx)$/.test(f) && !f.includes('node_modules'))
    .map((f) => path.join(dir, f));
}

/** Runtime (non type-only) import specifiers of a file. */
function runtimeImports(file: string): string[] {
  const src = readFileSync(path.join(root, file), 'utf8');
  const out: string[] = [];
  for (const m of src.matchAll(/^\s*(import|export)\s+(type\s+)?[^'"]*?from\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/gm)) {
    if (m[2]) continue; // `import type` is erased at compile time
    out.push(m[3] ?? m[4] ?? m[5]!);
  }
  return out;
}

const tfjs = /^@tensorflow\//;
const react = /^(react|react-dom|@xyflow\/react|zustand)(\/|$)/;

describe('import boundaries', () => {
  it('the app never imports tfjs, kernels or engine code at runtime', () => {
    for (const f of files('app')) {
      for (const spec of runtimeImports(f)) {
        expect(tfjs.test(spec), `${f} imports ${spec}`).toBe(false);
        expect(/\/kernel(s)?$|\/workers\/engine\//.test(spec), `${f} imports ${spec}`).toBe(false);
      }
    }
  });

  it('node definitions and core import neither tfjs nor React (kernel-side core files excepted)', () => {
    const kernelSide = new Set([
      'graph-nodes/core/kernel-types.ts',
      'graph-nodes/core/tensor-preview.ts',
      'graph-nodes/core/image-fit.ts',
      'graph-nodes/core/image-stream.ts',
    ]);
    for (const f of files('graph-nodes')) {
      const isKernelSide = /kernel|model\.ts$|\.test\.ts$|kernels\.ts$/.test(f) || kernelSide.has(f);
      for (const spec of runtimeImports(f)) {
        expect(react.test(spec), `${f} imports ${spec}`).toBe(false);
        if (!isKernelSide) expect(tfjs.test(spec), `${f} imports ${spec}`).toBe(false);
      }
    }
  });

  it('workers/, cli/ and server/ never import React', () => {
    for (const f of [...files('workers'), ...files('cli'), ...files('server')]) {
      for (const spec of runtimeImports(f)) expect(react.test(spec), `${f} imports ${spec}`).toBe(false);
    }
  });
});
